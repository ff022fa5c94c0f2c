"""Opening a written file with the computer's usual application, on Windows, macOS and Linux.

``open_path`` is the one place that asks the system; tests replace it. It says whether the
system took the file, so that the command can say so when nothing can open it (a server, a
Linux session without a desktop, a file type no application claims).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

_WAIT_SECONDS = 15  # xdg-open returns once the application is started; a viewer in the terminal would not


def open_path(path: Path) -> bool:
    """Open ``path`` as a double-click would; ``False`` when there is no way to."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # exists on Windows only
            return True
        if sys.platform == "darwin":
            command = ["open", str(path)]
        else:
            if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
                return False  # no desktop session: nothing could show the file
            command = ["xdg-open", str(path)]
        if shutil.which(command[0]) is None:
            return False
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=_WAIT_SECONDS)
        return done.returncode == 0
    except subprocess.TimeoutExpired:
        return True  # still running: the application has the file
    except OSError:  # Windows: no application is associated with this type of file
        return False

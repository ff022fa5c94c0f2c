"""Synthetic workspaces for the benchmarks: realistic transcripts of about 15 KB each.

    python benchmarks/generate.py OUT --transcripts 1000 [--broken 0.05] [--names-warning]

Actors: 16 for up to 16 transcripts, then up to 200, half in each country. Every transcript
answers every question of the bundled guide that applies to its actor and uses every structured
list (expectations, contributions, constraints, quotes) under a consent level that allows them.
``--broken`` damages that share of the files with the mistakes people make (a tab, a misspelt
status, an unknown theme, an SDG out of range, a duplicate key). ``--names-warning`` records an
interviewee's name in every transcript without ``named`` consent: each file then carries one
warning (``names-without-consent``), the realistic case where validate must locate and print a
finding for every file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORDS = [
    "coopération",
    "économie",
    "sociale",
    "solidaire",
    "partenaires",
    "territoire",
    "jeunes",
    "femmes",
    "déchets",
    "plastique",
    "recyclage",
    "compostage",
    "alimentation",
    "locale",
    "circuits",
    "courts",
    "insertion",
    "professionnelle",
    "accompagnement",
    "porteurs",
    "projets",
    "financement",
    "collectif",
    "gouvernance",
    "démocratique",
    "réseau",
    "formation",
    "échanges",
    "réciprocité",
    "méthodes",
    "outils",
    "quartiers",
    "communes",
    "associations",
    "coopératives",
    "bénévoles",
    "salariés",
    "budget",
    "subventions",
    "ressources",
    "propres",
    "plaidoyer",
    "environnement",
    "écoles",
    "éducation",
    "santé",
    "eau",
    "assainissement",
    "mobilisation",
    "communautaire",
    "Lomé",
    "Rennes",
    "Bretagne",
    "Togo",
    "visites",
    "terrain",
    "délégations",
    "expérience",
    "retour",
    "pratiques",
    "partage",
    "savoir-faire",
]
TYPES = ["association", "ngo", "network", "local-authority", "incubator", "ess-hub", "university", "social-enterprise"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, chars: int) -> str:
    out = []
    while sum(len(s) + 1 for s in out) < chars:
        out.append(sentence(rng, rng.randint(8, 16)))
    return " ".join(out)


def folded(text: str, indent: str) -> str:
    """``text`` as a folded block scalar body, wrapped at about 90 columns."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > 90:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(indent + x for x in lines)


def generate_workspace(
    out: Path, *, transcripts: int, broken_share: float = 0.0, seed: int = 0, names_warning: bool = False
) -> Path:
    """Write a workspace with ``transcripts`` transcripts into ``out`` (replaced if it exists).

    ``names_warning``: every transcript names an interviewee under ``role`` or ``anonymous``
    consent, so every file carries exactly one warning.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from ess_coop.models import Guide, ThemesFile
    from ess_coop.yamlio import read_yaml

    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "templates").mkdir(parents=True)
    for name in ("guide.yaml", "themes.yaml"):
        shutil.copy(ROOT / "templates" / name, out / "templates" / name)
    guide = Guide.model_validate(read_yaml(out / "templates/guide.yaml").data)
    themes = [th.id for th in ThemesFile.model_validate(read_yaml(out / "templates/themes.yaml").data).themes]

    n_actors = 16 if transcripts <= 16 else min(200, max(16, transcripts // 5))
    actors = [(f"acteur-{i:03d}", "FR" if i % 2 == 0 else "TG", TYPES[i % len(TYPES)]) for i in range(n_actors)]
    (out / "ess-coop.yaml").write_text(
        "format: 1\nlanguage: fr\nproject:\n  id: bench\n  title: Projet de mesure\n  start: 2024-01-01\n"
        "  end: 2025-12-31\n  countries: [FR, TG]\n  coordinators: [acteur-000, acteur-001]\n  milestones:\n"
        "    - {id: entretiens, label: Entretiens, due: 2024-08-31}\nsample: true\n",
        encoding="utf-8",
    )
    registry = ["actors:"]
    for actor_id, country, kind in actors:
        registry += [f"  - id: {actor_id}", f"    name: Structure {actor_id}", f"    country: {country}",
                     f"    type: {kind}"]  # fmt: skip
    (out / "actors.yaml").write_text("\n".join(registry) + "\n", encoding="utf-8")

    from ess_coop.models import Actor

    start = dt.date(2024, 6, 1)
    broken = set(rng.sample(range(transcripts), round(transcripts * broken_share)))
    for i in range(transcripts):
        actor_id, country, kind = actors[i % n_actors]
        actor = Actor(id=actor_id, name=actor_id, country=country, type=kind)  # type: ignore[arg-type]
        date = start + dt.timedelta(days=i // n_actors)
        interview_id = f"{date.isoformat()}-{actor_id}"
        level = rng.choice(["role", "anonymous"] if names_warning else ["named", "role", "anonymous"])
        named = level == "named" or names_warning  # a name under role/anonymous consent: one warning
        lines = [
            "format: 1", f"id: {interview_id}", f"actor: {actor_id}", f"date: {date.isoformat()}",
            f"status: {rng.choice(['complete', 'complete', 'validated'])}", f"guide: {guide.ref}",
            "mode: video", "language: fr", "interviewers: [Xylm, STADD]", "interviewees:",
            "  - ref: P1", *(["    name: Abla Dzɔ"] if named else []), "    role: Coordinatrice",
            "  - ref: P2", "    role: Chargé de mission", "consent:", "  recording: true", f"  quotes: {level}",
            "  review_before_publication: true", "answers:",
        ]  # fmt: skip
        for question in guide.questions_for(actor):
            lines += [f"  {question.id}: >-", folded(paragraph(rng, 330), "    ")]
        for key in ("expectations", "contributions"):
            lines.append(f"{key}:")
            for _ in range(3):
                lines += [f"  - text: {sentence(rng, 14)}", f"    themes: [{', '.join(rng.sample(themes, 2))}]",
                          f"    sdgs: [{rng.randint(1, 17)}, {rng.randint(1, 17)}]"]  # fmt: skip
                if key == "expectations":
                    lines.append(f"    priority: {rng.choice(['high', 'medium', 'low'])}")
        lines.append("constraints:")
        for _ in range(2):
            lines += [f"  - text: {sentence(rng, 10)}", f"    themes: [{rng.choice(themes)}]"]
        lines.append("quotes:")
        for ref in ("P1", "P2"):
            lines += [f'  - text: "{sentence(rng, 12)}"', f"    speaker: {ref}", f"    themes: [{rng.choice(themes)}]"]
        lines += ["notes: >-", folded(paragraph(rng, 200), "  ")]
        text = "\n".join(lines) + "\n"
        if i in broken:
            text = _damage(text, rng)
        path = out / "interviews" / actor_id / f"{interview_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "output").mkdir()
    return out


def _damage(text: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return text.replace("\n  recording:", "\n\trecording:", 1)
    if kind == 1:
        return text.replace("status: complete", "status: complet", 1).replace("status: validated", "status: valide", 1)
    if kind == 2:
        return text.replace("themes: [", "themes: [theme-inconnu, ", 1)
    if kind == 3:
        return text.replace("sdgs: [", "sdgs: [18, ", 1)
    return text.replace("mode: video", "mode: video\nmode: phone", 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--transcripts", type=int, default=100)
    parser.add_argument("--broken", type=float, default=0.0)
    parser.add_argument("--names-warning", action="store_true", help="one warning in every transcript")
    options = parser.parse_args()
    generate_workspace(
        options.out, transcripts=options.transcripts, broken_share=options.broken, names_warning=options.names_warning
    )
    print(f"{options.transcripts} transcripts written to {options.out}")

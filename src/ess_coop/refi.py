"""REFI-QDA files: a ``QdaProject`` (see ``qda``) as ``project.qde`` inside a ``.qdpx``, and a
codebook alone as a ``.qdc``.

The XML follows the REFI-QDA 1.0 schemas (``Project-mrt2019.xsd``, ``Codebook-mrt2019.xsd``;
the tests validate every export against them), element order included. Each text source is a
UTF-8 file ``sources/<guid>.txt`` in the zip, named by its GUID only (no person's or partner's
name in a path), referred to as ``internal://<guid>.txt``. Selections, sources and codings carry
a creating user and a date (the interview's): QualCoder's import fails on a selection without
a date. No date of the export itself is written anywhere, and the zip entries have a fixed
date, so the same data give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from ess_coop import __version__
from ess_coop.ooxml import stable_zip
from ess_coop.qda import Code, QdaProject, Source, VariableValue

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_ENTRY = "project.qde"
SOURCES_DIR = "sources"
ORIGIN = f"ess-coop {__version__}"


def source_entry(source: Source) -> str:
    """The zip entry of a source's text."""
    return f"{SOURCES_DIR}/{source.guid}.txt"


def qdpx(project: QdaProject) -> bytes:
    """The ``.qdpx`` file: ``project.qde`` and the sources' texts."""
    # The folder has its own entry: QualCoder's import lists it even when there is no source.
    entries = [(PROJECT_ENTRY, project_xml(project)), (f"{SOURCES_DIR}/", b"")]
    entries += [(source_entry(source), source.text.encode("utf-8")) for source in project.sources]
    return stable_zip(entries)


def project_xml(project: QdaProject) -> bytes:
    """``project.qde``: the project as REFI-QDA XML."""
    ns = _Namespace(PROJECT_NS)
    root = ns.element("Project", name=project.name, origin=ORIGIN, creatingUserGUID=project.tool_user)
    users = ns.sub(root, "Users")
    for user in project.users:
        ns.sub(users, "User", guid=user.guid, name=user.name)
    if project.codes:
        codes = ns.sub(ns.sub(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(ns, codes, code)
    if project.variables:
        variables = ns.sub(root, "Variables")
        for variable in project.variables:
            ns.sub(variables, "Variable", guid=variable.guid, name=variable.name, typeOfVariable=variable.type)
    if project.cases:
        cases = ns.sub(root, "Cases")
        for case in project.cases:
            element = ns.sub(cases, "Case", guid=case.guid, name=case.name)
            if case.description:
                ns.sub(element, "Description").text = case.description
            for value in case.values:
                _value(ns, element, value)
            for source_guid in case.sources:
                ns.sub(element, "SourceRef", targetGUID=source_guid)
    if project.sources:
        sources = ns.sub(root, "Sources")
        for source in project.sources:
            _source(ns, sources, source)
    if project.description:
        ns.sub(root, "Description").text = project.description
    return ns.serialise(root)


def codebook_xml(codes: list[Code]) -> bytes:
    """A ``.qdc`` file: the codes alone, as a REFI-QDA codebook."""
    ns = _Namespace(CODEBOOK_NS)
    root = ns.element("CodeBook", origin=ORIGIN)
    parent = ns.sub(root, "Codes")
    for code in codes:
        _code(ns, parent, code)
    return ns.serialise(root)


def _code(ns: _Namespace, parent: ET.Element, code: Code) -> None:
    attributes = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
    if code.colour:
        attributes["color"] = code.colour
    element = ns.sub(parent, "Code", **attributes)
    if code.description:
        ns.sub(element, "Description").text = code.description
    for child in code.children:
        _code(ns, element, child)


def _source(ns: _Namespace, parent: ET.Element, source: Source) -> None:
    stamp = _stamp(source.date)
    element = ns.sub(
        parent,
        "TextSource",
        guid=source.guid,
        name=source.name,
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=source.user,
        creationDateTime=stamp,
    )
    if source.description:
        ns.sub(element, "Description").text = source.description
    for selection in source.selections:
        chosen = ns.sub(
            element,
            "PlainTextSelection",
            guid=selection.guid,
            name=selection.name,
            startPosition=str(selection.start),
            endPosition=str(selection.end),
            creatingUser=source.user,
            creationDateTime=stamp,
        )
        for code in selection.codes:
            coding = str(uuid.uuid5(uuid.UUID(selection.guid), code))
            ns.sub(ns.sub(chosen, "Coding", guid=coding, creatingUser=source.user, creationDateTime=stamp),
                   "CodeRef", targetGUID=code)  # fmt: skip
    for value in source.values:
        _value(ns, element, value)


def _value(ns: _Namespace, parent: ET.Element, value: VariableValue) -> None:
    element = ns.sub(parent, "VariableValue")
    ns.sub(element, "VariableRef", targetGUID=value.variable.guid)
    kind = value.variable.type
    raw = value.value
    if kind == "Boolean":
        text = "true" if raw else "false"
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw)
    ns.sub(element, f"{kind}Value").text = text


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


class _Namespace:
    """Elements of one XML namespace, written as the document's default namespace.

    ElementTree cannot write qualified element names with unqualified attributes as a default
    namespace, so elements are made unqualified and the root declares the namespace itself.
    """

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def element(self, tag: str, **attributes: str) -> ET.Element:
        return ET.Element(tag, {"xmlns": self.uri, **attributes})

    def sub(self, parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
        return ET.SubElement(parent, tag, attributes)

    def serialise(self, root: ET.Element) -> bytes:
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

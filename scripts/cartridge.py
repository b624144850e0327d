"""IMS Common Cartridge 1.1 packages: the course, and each module, for learning platforms.

A cartridge (`.imscc`, a zip with `imsmanifest.xml` at its root) is what Moodle, Canvas,
Blackboard and Brightspace import in one step. Ours mirror the module anatomy: per module an
item for each section (learning outcomes, key issues and their sub-sections, case study,
exercises, class structure, review questions, assessment, readings), each a **web link** to
that section's frozen address in the edition the cartridge was built from; the module's PDF
handout as a file; and its knowledge check as a QTI 1.2 assessment
([`scripts.lms`][scripts.lms]). The manifest's metadata give title, description, language,
edition and licence.

[`build`][scripts.cartridge.build] is pure (same input, same bytes: fixed timestamps, sorted
entries); [`package_problems`][scripts.cartridge.package_problems] checks what the IMS schemas
cannot (files present, identifiers unique, every item's resource present, web links https).
The schemas themselves are applied by the tests (`tests/data/imscc-1.1/`).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from scripts import lms

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
WL = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p1"
SCHEMA_LOCATIONS = {
    CP: f"{PROFILE}/ccv1p1_imscp_v1p2_v1p0.xsd",
    LOMM: f"{PROFILE}/LOM/ccv1p1_lommanifest_v1p0.xsd",
}
WEBLINK_TYPE = "imswl_xmlv1p1"
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
LICENCE = (
    "Course text: Creative Commons Attribution 4.0 International (CC BY 4.0), "
    "https://creativecommons.org/licenses/by/4.0/. Reuse and adapt with attribution."
)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
"""Every zip entry's timestamp: a cartridge's bytes depend on its content only."""


@dataclass(frozen=True)
class Section:
    """A heading of a module page: its title, anchor and sub-headings."""

    title: str
    anchor: str
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ModulePackage:
    """What a module contributes to a cartridge.

    Attributes:
        module_id: `M3`.
        title: `M3 Anonymity`.
        folder: `m3-anonymity`.
        page_url: The module page's absolute address in the edition linked to.
        sections: The page's headings below its title.
        quiz: Its knowledge check, if any.
        pdf: The PDF handout's bytes, if one was printed.
    """

    module_id: str
    title: str
    folder: str
    page_url: str
    sections: tuple[Section, ...]
    quiz: lms.ModuleQuiz | None = None
    pdf: bytes | None = None


@dataclass(frozen=True)
class CartridgeSpec:
    """A cartridge: the course's or one module's."""

    identifier: str
    title: str
    description: str
    edition: str
    language: str
    modules: tuple[ModulePackage, ...]
    keywords: tuple[str, ...] = ()


SKIPPED = {"cite", "references"}
"""Headings that are not part of the anatomy: "Cite this module" and the page's reference list."""


def sections_from_toc(toc: Iterable[Any]) -> tuple[Section, ...]:
    """The module page's sections from MkDocs' table of contents (the `h1` item's children)."""

    def convert(entry: Any) -> Section:
        children = tuple(convert(child) for child in getattr(entry, "children", []))
        return Section(html.unescape(str(entry.title)), str(entry.id), children)

    entries = list(toc)
    if len(entries) == 1 and getattr(entries[0], "level", 2) == 1:
        entries = list(entries[0].children)
    return tuple(convert(e) for e in entries if str(e.id) not in SKIPPED)


def _ident(*parts: str) -> str:
    """An XML ID from parts: letters, digits, `-`, `_` and `.`, starting with a letter."""
    raw = "_".join(parts)
    return "i" + re.sub(r"[^A-Za-z0-9_.-]", "-", raw)


@dataclass
class _Builder:
    spec: CartridgeSpec
    files: dict[str, bytes] = field(default_factory=dict)
    resources: list[etree._Element] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def identifier(self, *parts: str) -> str:
        base = _ident(*parts)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def resource(self, kind: str, path: str, content: bytes, *, href: bool = False) -> str:
        ident = self.identifier("r", path)
        element = etree.Element(f"{{{CP}}}resource", identifier=ident, type=kind)
        if href:
            element.set("href", path)
        etree.SubElement(element, f"{{{CP}}}file", href=path)
        self.resources.append(element)
        self.files[path] = content
        return ident

    def weblink(self, module: ModulePackage, title: str, anchor: str) -> str:
        root = etree.Element(f"{{{WL}}}webLink", nsmap={None: WL})
        etree.SubElement(root, f"{{{WL}}}title").text = title
        url = f"{module.page_url}#{anchor}"
        etree.SubElement(root, f"{{{WL}}}url", href=url, target="_blank")
        content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return self.resource(WEBLINK_TYPE, f"{module.folder}/links/{anchor}.xml", content)


def _item(parent: etree._Element, builder: _Builder, title: str, ref: str | None = None) -> etree._Element:
    item = etree.SubElement(parent, f"{{{CP}}}item", identifier=builder.identifier("item", title))
    if ref is not None:
        item.set("identifierref", ref)
    etree.SubElement(item, f"{{{CP}}}title").text = title
    return item


def _section_items(parent: etree._Element, builder: _Builder, module: ModulePackage, section: Section) -> None:
    link = builder.weblink(module, f"{module.module_id}: {section.title}", section.anchor)
    if not section.children:
        _item(parent, builder, section.title, link)
        return
    folder = _item(parent, builder, section.title)  # an item with children refers to no resource
    _item(folder, builder, f"{section.title} (overview)", link)
    for child in section.children:
        _section_items(folder, builder, module, child)
        if child.anchor == "knowledge-check" and module.quiz is not None:
            ident = builder.identifier("quiz", module.folder)
            content = lms.qti_assessment(module.quiz, ident, builder.spec.edition)
            ref = builder.resource(ASSESSMENT_TYPE, f"{module.folder}/knowledge-check/assessment.xml", content)
            _item(folder, builder, f"Knowledge check: {module.title} (quiz)", ref)


def _module_items(parent: etree._Element, builder: _Builder, module: ModulePackage) -> None:
    folder = _item(parent, builder, module.title)
    if module.pdf is not None:
        ref = builder.resource("webcontent", f"web_resources/{module.folder}.pdf", module.pdf, href=True)
        _item(folder, builder, f"{module.title}: PDF handout", ref)
    for section in module.sections:
        _section_items(folder, builder, module, section)


def _lom(parent: etree._Element, spec: CartridgeSpec) -> None:
    def sub(node: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(node, f"{{{LOMM}}}{tag}")
        if text is not None:
            element.text = text
        return element

    def string(node: etree._Element, tag: str, text: str) -> None:
        sub(node, tag).append(etree.Element(f"{{{LOMM}}}string", language=spec.language))
        node[-1][-1].text = text

    lom = sub(parent, "lom")
    general = sub(lom, "general")
    string(general, "title", spec.title)
    sub(general, "language", spec.language)
    # CC 1.1's LOM profile has no lifeCycle/version: the edition goes in title and description.
    string(general, "description", f"{spec.description} Edition {spec.edition}.")
    for keyword in spec.keywords:
        string(general, "keyword", keyword)
    rights = sub(lom, "rights")
    sub(sub(rights, "copyrightAndOtherRestrictions"), "value", "yes")
    string(rights, "description", LICENCE)


def manifest(spec: CartridgeSpec) -> tuple[bytes, dict[str, bytes]]:
    """The manifest and the files it lists."""
    builder = _Builder(spec)
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "lomimscc": LOMM, "xsi": XSI})
    root.set("identifier", _ident(spec.identifier))
    builder.used.add(root.get("identifier", ""))
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{ns} {loc}" for ns, loc in SCHEMA_LOCATIONS.items()))
    metadata = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "IMS Common Cartridge"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.1.0"
    _lom(metadata, spec)
    organizations = etree.SubElement(root, f"{{{CP}}}organizations")
    organization = etree.SubElement(
        organizations, f"{{{CP}}}organization", identifier=builder.identifier("org"), structure="rooted-hierarchy"
    )
    top = etree.SubElement(organization, f"{{{CP}}}item", identifier=builder.identifier("root"))
    for module in spec.modules:
        _module_items(top, builder, module)
    resources = etree.SubElement(root, f"{{{CP}}}resources")
    resources.extend(builder.resources)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), builder.files


def build(spec: CartridgeSpec) -> bytes:
    """The cartridge as zip bytes (deterministic)."""
    document, files = manifest(spec)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [("imsmanifest.xml", document), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


# --- Package rules ----------------------------------------------------------------------------


def read_package(data: bytes) -> dict[str, bytes]:
    """The files of a cartridge by name; raises `zipfile.BadZipFile` for a broken one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def package_problems(data: bytes) -> list[str]:
    """What the XML schemas cannot check: the manifest is there and parses, every file a
    resource lists is in the package, identifiers are unique, every item's resource exists,
    every web link is https, and every question file parses."""
    try:
        files = read_package(data)
    except zipfile.BadZipFile as error:
        return [f"not a zip file: {error}"]
    if "imsmanifest.xml" not in files:
        return ["no imsmanifest.xml at the root of the package"]
    try:
        root = etree.fromstring(files["imsmanifest.xml"])
    except etree.XMLSyntaxError as error:
        return [f"imsmanifest.xml does not parse: {error}"]
    found: list[str] = []
    seen: dict[str, int] = {}
    for element in root.iter():
        ident = element.get("identifier")
        if ident is not None:
            seen[ident] = seen.get(ident, 0) + 1
    found.extend(f"identifier '{i}' is used {n} times" for i, n in sorted(seen.items()) if n > 1)
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CP}}}resource")}
    listed: set[str] = set()
    for ident, resource in resources.items():
        for file in resource.iter(f"{{{CP}}}file"):
            href = file.get("href", "")
            listed.add(href)
            if href not in files:
                found.append(f"resource '{ident}' lists '{href}', which is not in the package")
        found.extend(_resource_problems(ident or "", resource, files))
    for item in root.iter(f"{{{CP}}}item"):
        ref = item.get("identifierref")
        if ref is not None and ref not in resources:
            found.append(f"item '{item.get('identifier')}' refers to resource '{ref}', which does not exist")
        if ref is not None and len(item.findall(f"{{{CP}}}item")):
            found.append(f"item '{item.get('identifier')}' has both a resource and sub-items")
    found.extend(
        f"'{name}' is in the package but no resource lists it"
        for name in sorted(set(files) - listed - {"imsmanifest.xml"})
    )
    return found


def _resource_problems(ident: str, resource: etree._Element, files: dict[str, bytes]) -> list[str]:
    kind = resource.get("type")
    found = []
    for file in resource.iter(f"{{{CP}}}file"):
        content = files.get(file.get("href", ""))
        if content is None:
            continue
        if not content:
            found.append(f"resource '{ident}': '{file.get('href')}' is empty")
            continue
        if kind in {WEBLINK_TYPE, ASSESSMENT_TYPE}:
            try:
                document = etree.fromstring(content)
            except etree.XMLSyntaxError as error:
                found.append(f"resource '{ident}': '{file.get('href')}' does not parse: {error}")
                continue
            for url in document.iter(f"{{{WL}}}url"):
                if not url.get("href", "").startswith("https://"):
                    found.append(f"web link '{file.get('href')}' is not https: '{url.get('href')}'")
    return found


def schema_problems(data: bytes, schemas: Sequence[tuple[str, etree.XMLSchema]]) -> list[str]:
    """Validate the manifest and each web link and assessment against the IMS schemas
    (`schemas`: the root tag's namespace and its compiled schema)."""
    files = read_package(data)
    by_namespace = dict(schemas)
    found = []
    for name, content in sorted(files.items()):
        if not name.endswith(".xml"):
            continue
        document = etree.fromstring(content)
        namespace = etree.QName(document).namespace or ""
        schema = by_namespace.get(namespace)
        if schema is None:
            found.append(f"{name}: no schema for namespace '{namespace}'")
            continue
        if not schema.validate(document):
            found.extend(f"{name}:{e.line}: {e.message}" for e in schema.error_log)
    return found

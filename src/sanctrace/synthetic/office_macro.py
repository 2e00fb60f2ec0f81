"""Office documents with a VBA macro, built from scratch, for tests and fixtures.

No macro-bearing document ships with any installed package, and downloading malware samples is
out of the question, so this writes a minimal but well-formed VBA project (MS-OVBA): a
Compound File (written with extract-msg's ``OleWriter``) holding ``PROJECT``,
``VBA/_VBA_PROJECT``, ``VBA/dir`` and one module stream, the ``dir`` stream and the source
compressed with MS-OVBA's container format (literal tokens only: valid, just not small). A
``.docm`` wraps it as ``word/vbaProject.bin``. olevba reads these like Word's own.

The default macro is inert: it would run ``cmd /c echo`` with a marker string. It carries the
traits analysts look for (an ``AutoOpen`` entry point, ``Shell`` and ``CreateObject``), which is
what the phishing engine must see. Deterministic: same code in, same bytes out.
"""

from __future__ import annotations

import io
import struct
import zipfile

DEFAULT_CODE = (
    'Attribute VB_Name = "ThisDocument"\r\n'
    "Sub AutoOpen()\r\n"
    "    Dim sh As Object\r\n"
    '    Set sh = CreateObject("WScript.Shell")\r\n'
    '    Shell "cmd /c echo sanctrace-inert-fixture", vbHide\r\n'
    "End Sub\r\n"
)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 3640  # 3640 + 3640 / 8 flag bytes + 2 header bytes = 4097 <= 4098


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 CompressedContainer with literal tokens only. A chunk's size field has
    12 bits (at most 4098 bytes with its header), and literals cost 9 bytes per 8, so each
    chunk carries 3640 bytes; readers concatenate chunks, and literals need no window."""
    out = bytearray(b"\x01")
    for start in range(0, max(len(data), 1), CHUNK):
        chunk = data[start : start + CHUNK]
        body = bytearray()
        for i in range(0, len(chunk), 8):
            body.append(0)  # flag byte: the next 8 tokens are literals
            body.extend(chunk[i : i + 8])
        header = (len(body) + 2 - 3) | (0b011 << 12) | (1 << 15)
        out.extend(struct.pack("<H", header))
        out.extend(body)
    return bytes(out)


def _record(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HL", rid, len(payload)) + payload


def _dir_stream(module: str) -> bytes:
    name = module.encode("ascii")
    uname = module.encode("utf-16-le")
    project = b"Project"
    parts = [
        _record(0x0001, struct.pack("<L", 1)),  # PROJECTSYSKIND: 32-bit Windows
        _record(0x0002, struct.pack("<L", 0x409)),  # PROJECTLCID
        _record(0x0014, struct.pack("<L", 0x409)),  # PROJECTLCIDINVOKE
        _record(0x0003, struct.pack("<H", 1252)),  # PROJECTCODEPAGE
        _record(0x0004, project),  # PROJECTNAME
        _record(0x0005, b"") + _record(0x0040, b""),  # PROJECTDOCSTRING
        _record(0x0006, b"") + _record(0x003D, b""),  # PROJECTHELPFILEPATH
        _record(0x0007, struct.pack("<L", 0)),  # PROJECTHELPCONTEXT
        _record(0x0008, struct.pack("<L", 0)),  # PROJECTLIBFLAGS
        struct.pack("<HLLH", 0x0009, 4, 1, 0),  # PROJECTVERSION
        _record(0x000C, b"") + _record(0x003C, b""),  # PROJECTCONSTANTS
        struct.pack("<HLH", 0x000F, 2, 1),  # PROJECTMODULES: one module
        struct.pack("<HLH", 0x0013, 2, 0xFFFF),  # PROJECTCOOKIE
        _record(0x0019, name),  # MODULENAME
        _record(0x0047, uname),  # MODULENAMEUNICODE
        _record(0x001A, name) + _record(0x0032, uname),  # MODULESTREAMNAME
        _record(0x001C, b"") + _record(0x0048, b""),  # MODULEDOCSTRING
        _record(0x0031, struct.pack("<L", 0)),  # MODULEOFFSET: source at offset 0
        _record(0x001E, struct.pack("<L", 0)),  # MODULEHELPCONTEXT
        struct.pack("<HLH", 0x002C, 2, 0xFFFF),  # MODULECOOKIE
        _record(0x0022, b""),  # MODULETYPE: document module
        _record(0x002B, b""),  # module terminator
        _record(0x0010, b""),  # dir terminator
    ]
    return b"".join(parts)


def vba_project(code: str = DEFAULT_CODE, module: str = "ThisDocument") -> bytes:
    """A ``vbaProject.bin`` (Compound File) holding ``code`` as one document module."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    project = (
        'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
        f"Document={module}/&H00000000\r\n"
        'Name="Project"\r\n'
    ).encode("ascii")
    writer.addEntry("PROJECT", project)
    writer.addEntry("VBA", storage=True)
    writer.addEntry("VBA/_VBA_PROJECT", b"\xcc\x61\xff\xff\x00\x00\x00")
    writer.addEntry("VBA/dir", compress(_dir_stream(module)))
    writer.addEntry(f"VBA/{module}", compress(code.encode("cp1252")))
    buf = io.BytesIO()
    writer.write(buf)  # an in-memory file: write() takes anything with .write
    return buf.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    'Target="vbaProject.bin"/></Relationships>'
)


def docm(text: str = "Enable content to view the invoice.", code: str = DEFAULT_CODE) -> bytes:
    """A macro-enabled Word document showing ``text`` and carrying ``code``."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in (
            ("[Content_Types].xml", _CONTENT_TYPES.encode()),
            ("_rels/.rels", _RELS.encode()),
            ("word/document.xml", document.encode()),
            ("word/_rels/document.xml.rels", _DOC_RELS.encode()),
            ("word/vbaProject.bin", vba_project(code)),
        ):
            zf.writestr(zipfile.ZipInfo(name, _FIXED_TIME), payload)
    return buf.getvalue()

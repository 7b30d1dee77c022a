"""`retool_pulumi.export.text`: the only ways text from Retool reaches a generated file. Checked
against every Unicode code point, not a sample."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
import yaml

from retool_pulumi.export.text import comment, markdown, python_string, shell_word, yaml_string

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
AWKWARD = [
    "",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "a\\",
    "\\N{BULLET}",
    '"\'"',
    "x\x00y",
    "emoji 💸 and 👩‍👩‍👧",
    "lone \ud800 and \udfff surrogates",
    "bidi \u202e override",
    "${x} {0} %s {{}}",
    *LINE_BREAKS,
    "\r\n",
]


@pytest.mark.parametrize("text", [*AWKWARD, EVERY_CHARACTER])
def test_python_string_is_one_line_valid_utf8_and_exact(text: str) -> None:
    literal = python_string(text)
    assert ast.literal_eval(literal) == text
    assert len(literal.splitlines()) == 1
    literal.encode("utf-8")  # strict: no lone surrogate in the source itself
    # One STRING token: nothing of the text leaks out of the literal.
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(literal).readline) if t.type == tokenize.STRING]
    assert len(tokens) == 1 and tokens[0].string == literal


def test_python_string_writes_printable_characters_as_themselves() -> None:
    assert python_string("Finance 💸") == '"Finance 💸"'
    assert python_string("café") == '"café"'
    assert python_string('say "hi"') == "'say \"hi\"'"
    assert python_string("x\ny") == '"x\\ny"'


@pytest.mark.parametrize("text", [*AWKWARD, EVERY_CHARACTER])
def test_comment_text_never_breaks_the_line(text: str) -> None:
    line = "# " + comment(text)
    assert len(line.splitlines()) == 1
    assert not set(line) & set(LINE_BREAKS)
    line.encode("utf-8")
    source = f"x = 1  {line}\ny = 2\n"
    tree = ast.parse(source)
    assert [ast.unparse(n) for n in tree.body] == ["x = 1", "y = 2"]
    comments = [
        t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT
    ]
    assert [c.string for c in comments] == [line]


@pytest.mark.parametrize("text", [*AWKWARD, EVERY_CHARACTER])
def test_markdown_text_is_one_inert_line(text: str) -> None:
    out = markdown(text)
    assert len(out.splitlines()) <= 1
    assert not set(out) & set(LINE_BREAKS)
    out.encode("utf-8")
    # Every ASCII punctuation character is escaped: no emphasis, link, HTML, heading or code span.
    unescaped = out.replace("\\\\", "")
    for i, ch in enumerate(unescaped):
        if ch in "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~":
            assert i > 0 and unescaped[i - 1] == "\\", (ch, out[:200])


@pytest.mark.parametrize("text", [*AWKWARD[:11], "emoji 💸", "日本語", "a: b", "- x", "#x", "&a *b !c"])
def test_yaml_string_round_trips(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}\n") == {"key": text}
    assert len(yaml_string(text).splitlines()) == 1


def test_generated_literals_are_what_ruff_format_writes() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    source = "".join(f"x = {python_string(t)}\n" for t in [*AWKWARD, "A\x7f\x9f\xa0\xad"])
    check = subprocess.run(
        [str(ruff), "format", "--isolated", "--check", "--stdin-filename", "m.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_shell_word_is_one_printable_line_that_bash_reads_back_exactly() -> None:
    # Arguments cannot hold NUL, and lone surrogates are no text a command line can carry.
    texts = [*AWKWARD, EVERY_CHARACTER, "-n", "a b", "$(touch x)`id`;|&<>*?~#!"]
    texts = ["".join(c for c in t if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF) for t in texts]
    words = [shell_word(t) for t in texts]
    assert all(w.isprintable() for w in words)  # no line break of any kind, no control
    script = "\n".join(f"printf '%s\\0' {w}" for w in words)
    done = subprocess.run(
        ["bash", "-s"],
        input=script.encode(),
        capture_output=True,
        check=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.decode().split("\0")[:-1] == texts

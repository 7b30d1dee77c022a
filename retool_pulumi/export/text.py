"""How text from Retool (names, folder paths, emails, error messages) is written into the files
of an exported project. Retool's text is data: every string reaches a file through exactly one
of these functions, chosen by where it lands.

- `python_string`: a Python string literal (code).
- `comment`: the text of a `#` comment (one line, whatever the input).
- `markdown`: one line of inert Markdown (README.md).
- `yaml_string`: a double-quoted YAML scalar (Pulumi.yaml).
- `shell_word`: one word of a shell command (README commands).

All of them write printable characters as themselves (an emoji stays an emoji, never a
surrogate pair) and every other character (controls, NUL, line and paragraph separators,
format characters such as bidi overrides, lone surrogates, unassigned code points) as an escape
(`\\n`, `\\x00`, `\\u2028`, `\\ud800`): what `str.isprintable()` rejects includes every character
that `str.splitlines()` or Python's tokenizer treats as a line break, so nothing from Retool can
end a line, a comment or a string early.
"""

from __future__ import annotations

__all__ = ["comment", "markdown", "python_string", "shell_word", "yaml_string"]

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# CommonMark lets a backslash escape any ASCII punctuation character, which then stands for
# itself: no emphasis, link, image, HTML, heading, list, table or code span can start.
_MARKDOWN_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters no POSIX shell gives a meaning to in a word.
_SHELL_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@:+,%=-")


def _escape(char: str) -> str:
    """A non-printable character as a Python escape sequence (lower-case hex, as ruff writes it)."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _printable(text: str, keep: str = "") -> str:
    return "".join(c if c.isprintable() or c in keep else _escape(c) for c in text)


def python_string(text: str) -> str:
    """A one-line Python string literal whose value is exactly `text`, for any str.

    Double quotes unless the text holds more double than single quotes (the quote ruff's
    formatter picks, so the program stays formatted); the chosen quote and backslashes are
    escaped, non-printable characters written as escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = []
    for char in text:
        if char == "\\" or char == quote:
            body.append("\\" + char)
        elif char.isprintable():
            body.append(char)
        else:
            body.append(_escape(char))
    return quote + "".join(body) + quote


def comment(text: str) -> str:
    """`text` for a `#` comment: one line whatever it holds (non-printable characters escaped;
    backslashes stay as they are, so a name quoted with `python_string` reads the same)."""
    return _printable(text)


def markdown(text: str) -> str:
    """`text` as one line of Markdown that renders as the text itself: non-printable characters
    escaped, then every ASCII punctuation character (the backslashes of those escapes included)
    backslash-escaped."""
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in _printable(text))


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar whose value is `text` (YAML's double-quoted style takes the
    same `\\x`, `\\u` and `\\U` escapes; `"` and backslash are escaped)."""
    body = []
    for char in text:
        if char in '"\\':
            body.append("\\" + char)
        elif char.isprintable():
            body.append(char)
        else:
            body.append(_escape(char))
    return '"' + "".join(body) + '"'


def shell_word(text: str) -> str:
    """One word of a shell command whose value is exactly `text`, on one line: as it is when
    every character is one no shell treats specially, else single-quoted (a `'` written as
    `'\\''`); text with non-printable characters becomes a bash `$'...'` word, with escapes
    for them (code points, which bash reads in a UTF-8 locale)."""
    if text and all(c in _SHELL_PLAIN for c in text):
        return text
    if all(c.isprintable() for c in text):
        return "'" + text.replace("'", "'\\''") + "'"
    body = []
    for char in text:
        if char in "\\'":
            body.append("\\" + char)
        elif char.isprintable():
            body.append(char)
        elif ord(char) < 0x80:
            body.append(_escape(char))
        else:
            # bash's `\\xHH` is a byte, not a code point: `\\u`/`\\U` (read in a UTF-8 locale).
            body.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return "$'" + "".join(body) + "'"

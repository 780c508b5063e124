"""Camunda 7 JUEL conditions (``${amount > 1000 && region == 'north'}``) translated to Python source.

Only the simple part of JUEL is translated: variables, ``a.b`` / ``a['b']`` property access (task data
is dictionaries, so both become ``a['b']``), literals, comparisons, ``and/or/not/empty`` and arithmetic.
Method calls, ternaries and anything else raise :class:`ScriptError`, so a diagram that needs them is
refused at deploy time instead of misbehaving later.
"""

from __future__ import annotations

import functools
import keyword
import re
from dataclasses import dataclass

from engine.errors import ScriptError
from engine.scripting.evaluator import check

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%().\[\]?:,{}=&|;])
    )""",
    re.VERBOSE,
)
_WORD_OPERATORS = {
    "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
    "and": "&&", "or": "||", "not": "!", "div": "/", "mod": "%",
}  # fmt: skip
_LITERALS = {"true": "True", "false": "False", "null": "None"}
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
_PYTHON_OPERATORS = {"||": "or", "&&": "and"}
_ALLOWED = "only comparisons, and/or/not, literals and variables are translated"


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, word, op, end
    text: str


def _unsupported(expression: str, what: str) -> ScriptError:
    return ScriptError(f"unsupported expression {expression!r} ({what}): {_ALLOWED}")


def _tokens(expression: str, body: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(body.rstrip()):
        match = _TOKEN.match(body, position)
        if match is None or match.lastgroup is None:
            raise _unsupported(expression, f"cannot read {body[position:].strip()[:20]!r}")
        kind, text = match.lastgroup, match.group(match.lastgroup)
        if kind == "word" and text in _WORD_OPERATORS:
            kind, text = "op", _WORD_OPERATORS[text]
        tokens.append(Token(kind, text))
        position = match.end()
    tokens.append(Token("end", ""))
    return tokens


class _Parser:
    """Recursive descent over JUEL's precedence levels; every operation is emitted in parentheses."""

    def __init__(self, expression: str, tokens: list[Token]) -> None:
        self.expression = expression
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        if self.current.text != text or self.current.kind not in ("op",):
            raise self.fail(f"expected {text!r}")
        self.take()

    def fail(self, what: str) -> ScriptError:
        found = repr(self.current.text) if self.current.kind != "end" else "the end"
        return _unsupported(self.expression, f"{what} at {found}")

    def whole(self) -> str:
        result = self.binary(0)
        if self.current.kind != "end":
            what = {"?": "ternary '? :'", "(": "method calls", "=": "assignments"}.get(self.current.text, "")
            raise self.fail(what or "unexpected text")
        return result

    def binary(self, level: int) -> str:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.current.kind == "op" and self.current.text in _LEVELS[level]:
            operator = self.take().text
            right = self.binary(level + 1)
            left = f"({left} {_PYTHON_OPERATORS.get(operator, operator)} {right})"
        return left

    def unary(self) -> str:
        token = self.current
        if token.kind == "op" and token.text in ("!", "-"):
            self.take()
            operand = self.unary()
            return f"(not {operand})" if token.text == "!" else f"(-{operand})"
        if token.kind == "word" and token.text == "empty":
            self.take()
            operand = self.unary()
            return f"({operand} is None or {operand} == '' or {operand} == [] or {operand} == {{}})"
        return self.primary()

    def primary(self) -> str:
        token = self.take()
        if token.kind == "number":
            return token.text
        if token.kind == "string":
            return repr(_unquote(token.text))
        if token.kind == "op" and token.text == "(":
            inner = self.binary(0)
            self.expect(")")
            return inner
        if token.kind == "word":
            return self.variable(token.text)
        self.index -= 1
        raise self.fail("incomplete expression" if token.kind == "end" else "unexpected text")

    def variable(self, name: str) -> str:
        if name in _LITERALS:
            return _LITERALS[name]
        if keyword.iskeyword(name) or "$" in name or name.startswith("_"):
            self.index -= 1
            raise self.fail(f"the name {name!r} cannot be used")
        result = name
        while self.current.text in (".", "[") and self.current.kind == "op":
            result += self.property()
        if self.current.kind == "op" and self.current.text == "(":
            raise self.fail("method calls")
        return result

    def property(self) -> str:
        if self.take().text == ".":
            token = self.take()
            if token.kind != "word" or token.text.startswith("_"):
                self.index -= 1
                raise self.fail("expected a property name")
            return f"[{token.text!r}]"
        key = self.binary(0)
        self.expect("]")
        return f"[{key}]"


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


@functools.lru_cache(maxsize=1024)
def juel_to_python(expression: str) -> str:
    """The Python expression equivalent to a simple Camunda ``${...}`` / ``#{...}`` condition."""
    body = expression.strip()
    if body[:2] in ("${", "#{") and body.endswith("}"):
        body = body[2:-1]
    if not body.strip():
        raise _unsupported(expression, "empty")
    source = _Parser(expression, _tokens(expression, body)).whole()
    check(source, "eval")
    return source

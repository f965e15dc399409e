"""Parser for the condition language (a CEL subset).

Grammar, lowest precedence first (as in CEL):

    expr    := or ( '?' expr ':' expr )?
    or      := and ( '||' and )*
    and     := rel ( '&&' rel )*
    rel     := unary ( ( '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' ) unary )?
    unary   := '!' unary | primary
    primary := 'true' | 'false' | NUMBER | STRING | '[' literals ']' | NAME | NAME '(' args ')'
             | '(' expr ')'

Names are dotted identifiers (system.emotion_recognition, param.x). Numbers may use exponents
(1e25). Strings use double or single quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ir import And, Call, Cmp, If, In, ListLit, Lit, Name, Node, Not, Or

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<str>"[^"\\]*"|'[^'\\]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>&&|\|\||==|!=|<=|>=|[<>!?:(),\[\]])
    """,
    re.VERBOSE,
)


class ExprSyntaxError(ValueError):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


@dataclass(slots=True)
class _Tok:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExprSyntaxError(f"unexpected character {text[pos]!r}", pos)
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Tok(kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


_REL_OPS = {"==", "!=", "<", "<=", ">", ">="}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> _Tok:
        tok = self.take()
        if tok.text != text:
            found = tok.text or "end of expression"
            raise ExprSyntaxError(f"expected '{text}' but found '{found}'", tok.pos)
        return tok

    def src(self, start: int) -> str:
        end = self.tokens[self.i - 1]
        return self.text[start : end.pos + len(end.text)].strip()

    def parse(self) -> Node:
        node = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprSyntaxError(f"unexpected '{tok.text}' after a complete expression", tok.pos)
        return node

    def expr(self) -> Node:
        start = self.peek().pos
        cond = self.or_()
        if self.peek().text != "?":
            return cond
        self.take()
        then = self.expr()
        self.expect(":")
        other = self.expr()
        return If(cond, then, other, self.src(start))

    def _chain(self, op: str, sub, build) -> Node:
        start = self.peek().pos
        items = [sub()]
        while self.peek().text == op:
            self.take()
            items.append(sub())
        return items[0] if len(items) == 1 else build(tuple(items), self.src(start))

    def or_(self) -> Node:
        return self._chain("||", self.and_, Or)

    def and_(self) -> Node:
        return self._chain("&&", self.rel, And)

    def rel(self) -> Node:
        start = self.peek().pos
        left = self.unary()
        tok = self.peek()
        if tok.text in _REL_OPS:
            self.take()
            right = self.unary()
            return Cmp(tok.text, left, right, self.src(start))
        if tok.kind == "name" and tok.text == "in":
            self.take()
            right = self.unary()
            return In(left, right, self.src(start))
        return left

    def unary(self) -> Node:
        start = self.peek().pos
        if self.peek().text == "!":
            self.take()
            return Not(self.unary(), self.src(start))
        return self.primary()

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            value = float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
            return Lit(value, tok.text)
        if tok.kind == "str":
            return Lit(tok.text[1:-1], tok.text)
        if tok.text == "(":
            node = self.expr()
            self.expect(")")
            return node
        if tok.text == "[":
            return self.list_literal(tok.pos)
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return Lit(tok.text == "true", tok.text)
            if tok.text in ("in", "null"):
                raise ExprSyntaxError(f"'{tok.text}' cannot start an operand", tok.pos)
            if self.peek().text == "(":
                return self.call(tok)
            return Name(tok.text, tok.text, tok.pos)
        found = tok.text or "end of expression"
        raise ExprSyntaxError(f"expected a value, a name or '(' but found '{found}'", tok.pos)

    def list_literal(self, start: int) -> ListLit:
        items: list[Lit] = []
        while self.peek().text != "]":
            item = self.primary()
            if not isinstance(item, Lit):
                raise ExprSyntaxError("list literals may contain only literals", start)
            items.append(item)
            if self.peek().text == ",":
                self.take()
            elif self.peek().text != "]":
                raise ExprSyntaxError(f"expected ',' or ']' but found '{self.peek().text}'", self.peek().pos)
        self.take()
        return ListLit(tuple(items), self.src(start))

    def call(self, name_tok: _Tok) -> Call:
        self.expect("(")
        args: list[Node] = []
        while self.peek().text != ")":
            args.append(self.expr())
            if self.peek().text == ",":
                self.take()
            elif self.peek().text != ")":
                raise ExprSyntaxError(f"expected ',' or ')' but found '{self.peek().text}'", self.peek().pos)
        self.take()
        return Call(name_tok.text, tuple(args), self.src(name_tok.pos))


def parse(text: str) -> Node:
    """Parse an expression into unresolved IR (names are still `Name` nodes)."""
    return _Parser(text).parse()

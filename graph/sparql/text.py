"""Binding values into SPARQL text for engines that only take text, without pasting.

rdflib binds values with ``initBindings``; an Oxigraph store and a SPARQL server take a query
string. Pasting a user's value into that string is how injection happens (a name such as
``"} ; DROP ALL ; {"``), so values never go in as they are. Instead:

1. every value becomes an RDF term written by a strict N-Triples serialiser
   (:func:`sparql_term`): an IRI is checked against the IRI grammar (no ``<``, ``>``, ``"``,
   space, ``{``, ``}``, ``|``, ``^``, backquote or backslash can occur in it) and refused
   otherwise; a literal's text is escaped (quote, backslash, line breaks, control characters,
   and a ``u`` after a backslash so no server can read a ``\\u`` codepoint escape into it); a
   language tag and a datatype IRI are checked too;
2. the terms form one ``VALUES (?a ?b) { (<...> "...") }`` block (:func:`values_block`), with
   variable names checked against the SPARQL grammar;
3. the block goes at the start of the query's ``WHERE`` group (of each ``WHERE`` of an update),
   found by a tokenizer that skips strings, IRIs and comments (:func:`bind`). A ``VALUES`` block
   at the start of the group joins with the rest of the pattern, so a bound variable acts as if
   it were given: as rdflib's ``initBindings`` do (the test suite checks the named queries give
   identical answers on every store).

A value can therefore only ever be one RDF term, compared by SPARQL like any other.

Example:
    >>> from rdflib import Literal, URIRef
    >>> bind("SELECT ?c WHERE { ?c schema:name ?name }", {"name": Literal('A" } DROP ALL {')})
    'SELECT ?c WHERE { VALUES (?name) { ("A\\\\" } DROP ALL {") } ?c schema:name ?name }'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError

# The IRIREF production of SPARQL / N-Triples, with a scheme required (no relative IRIs).
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*')
_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARIABLE = re.compile(r"\w+")
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}

_QUERY_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH"}
_MODIFIERS = {"GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}
_DATASET_CLAUSES = {"FROM", "USING"}
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_iri(text: str, what: str = "IRI") -> str:
    """Return ``text`` if it is an absolute IRI that can be written between ``<`` and ``>``.

    Raises:
        QueryError: it is not (the message shows the value).

    Example:
        >>> check_iri("https://w3id.org/her-graph/her/Amy")
        'https://w3id.org/her-graph/her/Amy'
        >>> check_iri("not an IRI")
        Traceback (most recent call last):
            ...
        graph.errors.QueryError: ...
    """
    if not _IRI.fullmatch(text) or _SURROGATE.search(text):
        raise QueryError(f"{text!r} is not a valid absolute {what}: an IRI has a scheme "
                         "(https:, urn:, ...) and no spaces, quotes, <, >, {, }, |, ^, ` or \\")
    return text


def _escape_lexical(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    out = []
    previous_backslash = False
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"the string {text!r} holds a lone surrogate, which is not text")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\U{code:08X}")  # 8 digits: a following hex digit is not read in
        elif previous_backslash and char in "uU":
            # "\\u0022" could be read as a codepoint escape by a server that unescapes
            # before tokenizing; "\\\U00000075" reads as backslash + u under either reading
            # (the 8-digit form, as a following hex digit cannot lengthen it).
            out.append("\\U00000075" if char == "u" else "\\U00000055")
        else:
            out.append(char)
        previous_backslash = char == "\\"
    return "".join(out)


def sparql_term(term: Node) -> str:
    """Write an RDF term as SPARQL / N-Triples text, strictly.

    >>> from rdflib import Literal, URIRef
    >>> sparql_term(URIRef("https://w3id.org/her-graph/her/Amy"))
    '<https://w3id.org/her-graph/her/Amy>'
    >>> sparql_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> sparql_term(Literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'

    Raises:
        QueryError: an IRI, language tag or datatype is malformed, or the term is a blank
            node (whose label means nothing outside the store that made it).
    """
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        lexical = f'"{_escape_lexical(str(term))}"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise QueryError(f"{term.language!r} is not a valid language tag")
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != _XSD_STRING:
            return f"{lexical}^^<{check_iri(str(term.datatype), 'datatype IRI')}>"
        return lexical
    if isinstance(term, BNode):
        raise QueryError(f"cannot bind the blank node _:{term} in a query sent as text: a blank "
                         "node label means nothing outside the result it came from; bind an IRI")
    raise QueryError(f"cannot bind {term!r}: not an RDF term")


def values_block(bindings: Mapping[str, Node]) -> str:
    """The ``VALUES`` block that binds each variable of ``bindings`` to its term.

    >>> from rdflib import Literal
    >>> values_block({"b": Literal(1), "a": Literal("x")})
    'VALUES (?a ?b) { ("x" "1"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    """
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name (letters, digits, _)")
    variables = " ".join(f"?{name}" for name in names)
    terms = " ".join(sparql_term(bindings[name]) for name in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


# ---------------------------------------------------------------------------------------------
# A tokenizer that knows just enough SPARQL to find the WHERE groups

_TOKEN = re.compile(
    r'(?P<skip>\s+|#[^\n\r]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00B7]+)'
    r'|(?P<word>\w[\w\-.:%\u00B7]*|:[^\s{}()<>;,]*)'
    r'|(?P<punct>.)',
    re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int
    braces: int  # brace depth before the token
    parens: int  # parenthesis depth before the token

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def top(self) -> bool:
        return self.braces == 0 and self.parens == 0


def _tokens(text: str) -> Iterator[_Token]:
    braces = parens = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind == "skip":
            continue
        value = match.group()
        token = _Token(kind, value, match.start(), match.end(), braces, parens)
        if kind == "punct":
            braces += {"{": 1, "}": -1}.get(value, 0)
            parens += {"(": 1, ")": -1}.get(value, 0)
        yield token


@dataclass(frozen=True)
class _Group:
    open: int  # index of "{" in the text
    close: int  # index of the matching "}"
    short_form_keyword: int | None  # start of WHERE in CONSTRUCT WHERE / DELETE WHERE
    sub_select: bool  # the group is only a sub-SELECT


@dataclass(frozen=True)
class QueryShape:
    """What the tokenizer learnt of a SPARQL text: its form and where bindings go.

    Example:
        >>> shape = analyse("SELECT ?n WHERE { ?c schema:name ?n }")
        >>> shape.form, sorted(shape.used)
        ('SELECT', ['schema'])
    """

    form: str  # "SELECT", "ASK", "CONSTRUCT", "DESCRIBE" or "UPDATE"
    groups: tuple[_Group, ...]
    append_at: int | None  # DESCRIBE without WHERE: where a WHERE group can go
    prefixes: frozenset[str]  # declared by the text
    used: frozenset[str]  # the prefixes of the prefixed names the text uses
    # FROM / FROM NAMED (a query) or USING / USING NAMED (an update): the text picks its own
    # dataset from the store's graphs
    names_dataset: bool = False


def _matching(tokens: list[_Token], index: int) -> int:
    depth = tokens[index].braces
    for j in range(index + 1, len(tokens)):
        if tokens[j].text == "}" and tokens[j].kind == "punct" and tokens[j].braces == depth + 1:
            return j
    raise QueryError("invalid SPARQL: a '{' is never closed")


def _group_at(tokens: list[_Token], index: int, short_form: int | None) -> _Group:
    close = _matching(tokens, index)
    inner = tokens[index + 1] if index + 1 < close else None
    return _Group(tokens[index].start, tokens[close].start, short_form,
                  inner is not None and inner.keyword == "SELECT")


#: Why a text of only whitespace and comments is refused (SPARQL would read an empty update).
EMPTY_QUERY = "the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query"


@lru_cache(maxsize=512)
def analyse(text: str) -> QueryShape:
    """Find the form of a query or update and the groups that bindings go into."""
    tokens = list(_tokens(text))
    prefixes = frozenset(
        tokens[i + 1].text.split(":", 1)[0]
        for i, t in enumerate(tokens[:-1])
        if t.keyword == "PREFIX" and tokens[i + 1].text.endswith(":")
    )
    used = frozenset(t.text.split(":", 1)[0] for t in tokens if t.kind == "word" and ":" in t.text)
    form = next((t.keyword for t in tokens if t.top and t.keyword in _QUERY_FORMS | _UPDATE_FORMS),
                "")
    if not tokens:
        raise QueryError(EMPTY_QUERY)
    if not form:
        raise QueryError("invalid SPARQL: found no SELECT, ASK, CONSTRUCT, DESCRIBE or update "
                         "operation")
    top = [i for i, t in enumerate(tokens) if t.braces == 0]
    groups: list[_Group] = []
    append_at = None
    if form in _QUERY_FORMS:
        start = next(i for i in top if tokens[i].keyword == form)
        i = start + 1
        if form == "CONSTRUCT" and i < len(tokens) and tokens[i].text == "{":
            i = _matching(tokens, i) + 1  # skip the template
        where = next((j for j in range(i, len(tokens))
                      if tokens[j].top and tokens[j].keyword == "WHERE"), None)
        opening = next((j for j in range(where if where is not None else i, len(tokens))
                        if tokens[j].top and tokens[j].text == "{"), None)
        if opening is not None:
            short = (tokens[where].start if form == "CONSTRUCT" and where == start + 1
                     else None)
            groups.append(_group_at(tokens, opening, short))
        else:
            append_at = next((tokens[j].start for j in range(i, len(tokens))
                              if tokens[j].top and tokens[j].keyword in _MODIFIERS), len(text))
    else:
        form = "UPDATE"
        for j, token in enumerate(tokens):
            if token.top and token.keyword == "WHERE":
                opening = next((k for k in range(j + 1, len(tokens))
                                if tokens[k].text == "{" and tokens[k].top), None)
                if opening is not None:
                    short = token.start if j and tokens[j - 1].keyword == "DELETE" else None
                    groups.append(_group_at(tokens, opening, short))
    names_dataset = any(t.top and t.keyword in _DATASET_CLAUSES for t in tokens)
    if not names_dataset and ("\\u" in text or "\\U" in text):
        # A codepoint escape can spell the keyword (\u0046ROM), and engines expand escapes
        # before they parse.
        names_dataset = any(t.top and t.keyword in _DATASET_CLAUSES
                            for t in _tokens(_expand_escapes(text)))
    return QueryShape(form, tuple(groups), append_at, prefixes, used, names_dataset)


def _expand_escapes(text: str) -> str:
    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(character, text)


def bind(text: str, bindings: Mapping[str, Node]) -> str:
    """Return ``text`` with a ``VALUES`` block binding ``bindings`` in each of its WHERE groups.

    Raises:
        QueryError: a value cannot be written strictly, a variable name is invalid, or the
            text has no WHERE clause to bind in (``INSERT DATA`` takes no parameters).

    Example:
        >>> from rdflib import Literal
        >>> print(bind("SELECT ?c WHERE { ?c schema:name ?n }", {"n": Literal("Amy")}))
        SELECT ?c WHERE { VALUES (?n) { ("Amy") } ?c schema:name ?n }
    """
    if not bindings:
        return text
    block = values_block(bindings)
    shape = analyse(text)
    if not shape.groups:
        if shape.append_at is None:
            raise QueryError("this SPARQL has no WHERE clause, so it takes no parameters "
                             f"(got {', '.join(sorted(bindings))}); INSERT DATA and DELETE DATA "
                             "hold only constant terms")
        at = shape.append_at
        return f"{text[:at]} WHERE {{ {block} }} {text[at:]}"
    for group in sorted(shape.groups, key=lambda g: g.open, reverse=True):
        body = text[group.open + 1:group.close]
        if group.short_form_keyword is not None:
            # CONSTRUCT WHERE { T } and DELETE WHERE { T } allow only triples in T: expand to
            # the long form, T { VALUES ... T }, which means the same.
            replacement = f"{{{body}}} WHERE {{ {block} {body} }}"
            text = text[:group.short_form_keyword] + replacement + text[group.close + 1:]
        elif group.sub_select:
            text = f"{text[:group.open + 1]} {block} {{{body}}} {text[group.close:]}"
        else:
            text = f"{text[:group.open + 1]} {block}{text[group.open + 1:]}"
    return text


def declared_prefixes(text: str) -> frozenset[str]:
    """The prefixes a SPARQL text declares itself.

    Example:
        >>> sorted(declared_prefixes("PREFIX ex: <https://example.org/> ASK { ?s ex:p ?o }"))
        ['ex']
    """
    return analyse(text).prefixes


def implied_prefixes(text: str, prefixes: Mapping[str, str]) -> dict[str, str] | None:
    """The ``prefixes`` the text uses without declaring them (``None`` if there are none).

    Example:
        >>> implied_prefixes("SELECT * WHERE { ?s hg:how ?o }",
        ...                  {"hg": "https://w3id.org/her-graph/ontology#", "ex": "https://example.org/"})
        {'hg': 'https://w3id.org/her-graph/ontology#'}
    """
    shape = analyse(text)
    needed = {p: ns for p, ns in prefixes.items() if p in shape.used and p not in shape.prefixes}
    return needed or None


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """Put ``PREFIX`` declarations for the ``prefixes`` the text uses but does not declare.

    They go on the first line, so the server's line numbers in an error stay right.

    Example:
        >>> print(with_prefixes("ASK { ?s hg:how ?o }", {"hg": "https://w3id.org/her-graph/ontology#"}))
        PREFIX hg: <https://w3id.org/her-graph/ontology#>
        ASK { ?s hg:how ?o }
    """
    missing = [f"PREFIX {p}: <{check_iri(ns)}>"
               for p, ns in (implied_prefixes(text, prefixes) or {}).items()]
    return " ".join([*missing, text]) if missing else text

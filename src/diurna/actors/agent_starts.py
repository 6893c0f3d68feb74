"""Which tokens can start an agent phrase ("foreign ministry", "riot police"), from the token
alone: the resolver looks for an agent phrase at every token of an article, and this rules out
most of them before any span is built."""

from __future__ import annotations

Agents = dict[str, tuple[str, str, str | None]]


class AgentStarts:
    """Which tokens can start an agent phrase of a table, told from the token alone, so that
    most tokens are ruled out at once. A phrase is matched by the span's casefolded text or by
    its lemmas joined with spaces, so its first token is the whole phrase or, for a longer span,
    a prefix of it followed by a space (its whitespace or the join), or by the next token's text
    when no whitespace follows it."""

    def __init__(self, agents: Agents) -> None:
        self.phrases = frozenset(agents)
        self.words = frozenset(k[:j] for k in agents for j, c in enumerate(k) if c == " ")
        self.prefixes = frozenset(k[:j] for k in agents for j in range(1, len(k)))

    def may_start(self, text: str, space: bool, lemma: str) -> bool:
        """``text``: the token's casefolded text; ``space``: whether whitespace follows it;
        ``lemma``: its casefolded lemma."""
        return (text in self.phrases or text in (self.words if space else self.prefixes)
                or lemma in self.phrases or lemma in self.words)


# Per agents table (by identity, the table kept alive with its size): built once, not per article.
_STARTS: dict[int, tuple[Agents, int, AgentStarts]] = {}


def agent_starts(agents: Agents) -> AgentStarts:
    """The :class:`AgentStarts` of an agents table (``ActorDictionary.agents``)."""
    cached = _STARTS.get(id(agents))
    if cached is not None and cached[0] is agents and cached[1] == len(agents):
        return cached[2]
    if len(_STARTS) >= 16:  # tables made on the fly (tests): keep only a few
        _STARTS.clear()
    starts = AgentStarts(agents)
    _STARTS[id(agents)] = (agents, len(agents), starts)
    return starts

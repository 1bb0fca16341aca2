"""The outcome statement is written from the stored, structured outcome through gettext, so
it can be read in any language; in English it reads exactly as tally explains the outcome.
Pages render it at display time, in the reader's language."""

from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.decisions.models import Proposal
from sameboat.decisions.services import proposal_close, stance_take
from sameboat.decisions.statements import outcome_statement, stored_outcome
from sameboat.decisions.tally import Quorum, RankedBallot, ScoreBallot, Stance, decide

OPTIONS = ["A", "B", "C", "D"]
quorums = st.builds(
    Quorum,
    min_count=st.none() | st.integers(0, 8),
    min_fraction=st.none() | st.sampled_from([0.1, 0.25, 0.5, 0.7, 1.0]),
)
KINDS = {
    "consent": ["agree", "stand_aside", "object"],
    "consensus": ["agree", "stand_aside", "block"],
    "majority": ["yes", "no", "abstain"],
}


def _english(outcome, leader=None) -> str:
    with translation.override("en"):
        return outcome_statement(stored_outcome(outcome, leader=leader))


@settings(max_examples=200, deadline=None)
@given(process=st.sampled_from(sorted(KINDS)), data=st.data(), quorum=quorums)
def test_stance_processes(process: str, data: st.DataObject, quorum: Quorum) -> None:
    drawn = data.draw(st.lists(st.tuples(st.sampled_from(KINDS[process]), st.booleans())))
    votes = [
        Stance(f"v{i}", kind, resolved=resolved and kind == "object")
        for i, (kind, resolved) in enumerate(drawn[:12])
    ]
    outcome = decide(process, votes, eligible=12, quorum=quorum)
    assert _english(outcome) == outcome.explanation


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 5)), max_size=10),
    quorum=quorums,
)
def test_score(scores: list[dict[str, int]], quorum: Quorum) -> None:
    votes = [ScoreBallot(f"v{i}", s) for i, s in enumerate(scores)]
    outcome = decide("score", votes, eligible=10, quorum=quorum, options=OPTIONS)
    leader = decide("score", votes, eligible=10, quorum=Quorum(), options=OPTIONS)
    assert _english(outcome, leader) == outcome.explanation


rankings = st.permutations(OPTIONS).flatmap(
    lambda order: st.integers(0, len(order)).map(lambda n: list(order[:n]))
)


@settings(max_examples=200, deadline=None)
@given(all_rankings=st.lists(rankings, max_size=10), quorum=quorums)
def test_ranked_choice(all_rankings: list[list[str]], quorum: Quorum) -> None:
    votes = [RankedBallot(f"v{i}", r) for i, r in enumerate(all_rankings)]
    outcome = decide("ranked_choice", votes, eligible=10, quorum=quorum, options=OPTIONS)
    assert _english(outcome) == outcome.explanation


def test_pages_render_the_statement_from_the_stored_outcome(client, facilitator, member, propose):
    proposal = propose(facilitator, process="majority")
    stance_take(proposal=proposal, member=member, kind="yes")
    proposal_close(proposal=proposal, by=facilitator)
    # The recorded sentence is the record; what a reader sees is written afresh for them.
    Proposal.objects.filter(pk=proposal.pk).update(outcome_statement="(recorded)")
    client.force_login(member.user)
    page = client.get(
        reverse("decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk})
    ).content.decode()
    assert "Passed by majority: 1 yes, 0 no, 0 abstained" in page
    assert "(recorded)" not in page

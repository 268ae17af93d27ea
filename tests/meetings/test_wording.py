"""The protocol's phrases for the ways a vote can end, as a Swedish protocol words them."""

from caseflow.meetings.models import AgendaItem, Motion, Vote
from caseflow.meetings.wording import acclamation, genitive, vote_result

PROPOSAL = Motion(id=1, item_id=1, position=1, text="Bifall.")
COUNTER = Motion(id=2, item_id=1, position=2, mover="Bertil Justerare (M)", text="Avslag.")


def _vote(**fields) -> Vote:
    return Vote(item_id=1, round=1, yes_motion_id=1, no_motion_id=2, **fields)


def test_a_majority_decides_and_those_abstaining_are_counted():
    vote = _vote(yes_count=6, no_count=4, abstain_count=1)
    assert vote_result("Regionstyrelsen", vote, PROPOSAL, COUNTER) == (
        "Med 6 ja-röster mot 4 nej-röster, 1 ledamot avstår, beslutar Regionstyrelsen "
        "enligt förslaget till beslut."
    )


def test_a_single_vote_is_worded_in_the_singular():
    vote = _vote(yes_count=1, no_count=2)
    assert vote_result("Nämnden", vote, PROPOSAL, COUNTER) == (
        "Med 1 ja-röst mot 2 nej-röster beslutar Nämnden enligt Bertil Justerares (M) yrkande."
    )


def test_a_tie_in_a_decision_goes_the_way_of_the_chairs_casting_vote():
    vote = _vote(yes_count=5, no_count=5, casting_vote="nej")
    assert vote_result("Regionstyrelsen", vote, PROPOSAL, COUNTER) == (
        "Med 5 ja-röster mot 5 nej-röster och ordförandens utslagsröst beslutar "
        "Regionstyrelsen enligt Bertil Justerares (M) yrkande."
    )


def test_a_tie_in_an_election_is_settled_by_lot():
    vote = _vote(yes_count=5, no_count=5, is_election=True, lot="ja")
    assert vote_result("Regionstyrelsen", vote, PROPOSAL, COUNTER) == (
        "Med 5 ja-röster mot 5 nej-röster avgörs valet genom lottning. "
        "Lotten faller på förslaget till beslut."
    )


def test_a_name_ending_in_s_takes_no_further_s():
    assert genitive("Hans Nilsson") == "Hans Nilssons"
    assert genitive("Lars Hans (S)") == "Lars Hans (S)"
    assert genitive("Anna Ordförande (S)") == "Anna Ordförandes (S)"


def test_a_paragraph_without_motions_has_no_proposition():
    assert acclamation("Regionstyrelsen", AgendaItem(position=1, decision_kind="adopted")) is None

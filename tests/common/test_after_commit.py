"""Side effects wait for the commit: run once it has returned, forgotten on a rollback."""

from sqlmodel import select

from caseflow.cases.models import Series
from caseflow.db import after_commit, get_engine, new_session


def test_a_step_runs_only_after_the_commit_and_never_after_a_rollback(app):
    seen = []
    with app.app_context():
        session = new_session(get_engine(), write=True)
        session.add(Series(code="KS", name="Kommunstyrelsen"))
        after_commit(lambda: seen.append("sent"), session=session)
        session.flush()
        assert seen == []
        session.rollback()
        session.commit()
        assert seen == []  # the rolled-back transaction's step is gone

        session.add(Series(code="KS", name="Kommunstyrelsen"))
        after_commit(lambda: seen.append("sent"), session=session)
        session.commit()
        assert seen == ["sent"]
        session.commit()
        assert seen == ["sent"]  # once
        session.close()


def test_a_failing_step_keeps_the_commit_and_the_other_steps(app):
    seen = []

    def broken():
        raise OSError("the mail server went away")

    with app.app_context():
        session = new_session(get_engine(), write=True)
        session.add(Series(code="KS", name="Kommunstyrelsen"))
        after_commit(broken, session=session)
        after_commit(lambda: seen.append("second"), session=session)
        session.commit()
        assert seen == ["second"]
        # A step may use the session again, for a transaction of its own.
        after_commit(lambda: seen.append(session.exec(select(Series.code)).one()), session=session)
        session.commit()
        assert seen == ["second", "KS"]
        session.close()

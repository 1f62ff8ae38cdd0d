"""bench/sessions.py's websocket client: what it counts, what it takes for a finished page and
what fails a visit, on ForwardMsgs built by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import sessions  # bench/ is not a package: imported by its folder


def element(fill) -> ForwardMsg:
    """A new_element delta, filled by fill(element)."""
    msg = ForwardMsg()
    fill(msg.delta.new_element)
    return msg


def heading(tag: str, body: str) -> ForwardMsg:
    def fill(e):
        e.heading.tag = tag
        e.heading.body = body

    return element(fill)


def finished(status) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def feed(messages: list[ForwardMsg], page: str = "types") -> tuple[sessions.Visit, list[bool]]:
    session, visit = sessions.Session("http://127.0.0.1:1"), sessions.Visit(page, "link")
    done = [session.take(m.SerializeToString(), visit) for m in messages]
    return visit, done


def test_a_clean_page_counts_its_elements_and_ends_at_its_finished_run():
    def markdown(e):
        e.markdown.body = "text"

    visit, done = feed(
        [
            heading("h1", "Client types"),
            element(markdown),
            element(markdown),
            finished(ForwardMsg.FINISHED_SUCCESSFULLY),
        ]
    )
    assert done == [False, False, False, True]
    assert visit.elements == {"heading": 1, "markdown": 2}
    assert visit.titles == ["Client types"]
    assert visit.errors == []
    assert visit.messages == 4


def test_a_run_ended_for_a_rerun_is_not_the_end_of_the_visit():
    _visit, done = feed(
        [finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), finished(ForwardMsg.FINISHED_SUCCESSFULLY)]
    )
    assert done == [False, True]


def test_an_exception_an_error_box_and_a_missing_page_are_errors():
    def exception(e):
        e.exception.type = "KeyError"
        e.exception.message = "'client_id'"

    def error_box(e):
        e.alert.format = sessions.ERROR_ALERT
        e.alert.body = "The database cannot be opened."

    def warning_box(e):
        e.alert.format = 2  # WARNING: shown by pages on purpose, not an error
        e.alert.body = "Few clients."

    missing = ForwardMsg()
    missing.page_not_found.page_name = "nowhere"
    visit, _ = feed([element(exception), element(error_box), element(warning_box), missing])
    assert visit.errors == [
        "exception KeyError: 'client_id'",
        "error box: The database cannot be opened.",
        "page not found: nowhere",
    ]


def test_a_compile_error_ends_the_visit_as_an_error():
    visit, done = feed([finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)])
    assert done == [True]
    assert visit.errors == ["the script did not compile"]


def test_an_element_sent_by_reference_counts_as_the_element_held():
    session = sessions.Session("http://127.0.0.1:1")
    chart = heading("h2", "A long kept element")
    chart.hash = "abc"
    chart.metadata.cacheable = True
    session.take(chart.SerializeToString(), sessions.Visit("types", "link"))
    ref = ForwardMsg()
    ref.ref_hash = "abc"
    unknown = ForwardMsg()
    unknown.ref_hash = "zzz"
    visit = sessions.Visit("types", "app")
    session.take(ref.SerializeToString(), visit)
    session.take(unknown.SerializeToString(), visit)
    assert visit.elements == {"heading": 1}
    assert visit.refs == 2
    assert visit.errors == ["a reference to an element never received"]


def test_the_navigation_message_gives_each_page_its_script_hash():
    session = sessions.Session("http://127.0.0.1:1")
    nav = ForwardMsg()
    for path, page_hash in (("overview", "h1"), ("churn", "h2")):
        page = nav.navigation.app_pages.add()
        page.url_pathname = path
        page.page_script_hash = page_hash
    session.take(nav.SerializeToString(), sessions.Visit("", "link"))
    assert session.pages == {"overview": "h1", "churn": "h2"}


@pytest.mark.parametrize(
    ("page", "expected"),
    [("dossier", ("dossier", "client=C7")), ("", ("", "")), ("churn", ("churn", ""))],
)
def test_a_page_is_asked_for_by_its_path_and_the_dossier_with_its_client(page, expected):
    assert sessions.page_query(page, "C7") == expected


def test_summary_takes_the_median_and_nearest_rank_p95_of_timed_visits():
    # 1..10 s: median 5.5, nearest rank of the 95th percentile ceil(9.5) = the 10th value.
    visits = [sessions.Visit("types", "link", seconds=float(s)) for s in range(1, 11)]
    visits.append(sessions.Visit("types", "link", seconds=None))  # failed: not timed
    rows = sessions.summary(visits)
    assert rows["types"] == (5.5, 10.0, 10)
    assert rows["all"] == (5.5, 10.0, 10)
    assert rows["churn"] == (0, 0, 0)

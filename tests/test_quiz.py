"""The self-check quiz: the pure checking function, the model and the view's wiring."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import traitlets

from cdatools.quiz import (
    CORRECT_MARK,
    WRONG_MARK,
    Question,
    QuestionModel,
    QuestionView,
    Quiz,
    check_answer,
    load_questions,
)

COURSE = Path(__file__).resolve().parents[1] / "course"


def single() -> Question:
    return Question(
        "Who appoints the CDA?",
        ["The firms", "UNIDO", "The bank"],
        1,
        ["Firms rarely pay for a public good.", "Yes, UNIDO appoints and trains CDAs.", "No."],
    )


def several() -> Question:
    return Question(
        "Which are low-risk joint actions?",
        ["Joint training", "Sharing client lists", "Regional advertising"],
        [0, 2],
        ["Little room for predatory behaviour.", "Reveals trade secrets.", "Benefits all."],
    )


# ------------------------------------------------------------------ pure function
def test_right_single_answer_is_explained():
    result = check_answer(single(), [1])
    assert result.correct and result.answered
    assert result.text == f"{CORRECT_MARK} Correct. Yes, UNIDO appoints and trains CDAs."


def test_wrong_single_answer_explains_without_giving_the_answer_away():
    result = check_answer(single(), [0])
    assert not result.correct
    assert result.text.startswith(f"{WRONG_MARK} Not yet.")
    assert "Firms rarely pay" in result.text
    assert "UNIDO appoints" not in result.text


def test_feedback_does_not_rely_on_colour():
    """Each result starts with a word, so it reads the same without colour."""
    assert "Correct" in check_answer(single(), [1]).text
    assert "Not yet" in check_answer(single(), [2]).text


def test_empty_answer_asks_for_a_choice():
    result = check_answer(single(), [])
    assert not result.answered and not result.correct
    assert result.text == "Choose an option, then press Check."
    assert check_answer(several(), []).text.startswith("Tick one or more")


def test_multiple_choice_needs_exactly_the_right_set():
    assert check_answer(several(), [2, 0]).correct
    partial = check_answer(several(), [0])
    assert not partial.correct
    assert "1 right option not ticked yet" in partial.text
    over = check_answer(several(), [0, 1, 2])
    assert not over.correct
    assert "1 ticked option should not be" in over.text
    assert f"{WRONG_MARK} Sharing client lists: Reveals trade secrets." in over.text


@pytest.mark.parametrize("selected", [[3], [-1]])
def test_out_of_range_choice_is_rejected(selected):
    with pytest.raises(ValueError, match="does not exist"):
        check_answer(single(), selected)


def test_two_choices_for_a_single_choice_question_are_rejected():
    with pytest.raises(ValueError, match="choose one"):
        check_answer(single(), [0, 1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"options": ["only"], "explanations": ["x"], "correct": 0}, "at least two options"),
        ({"options": ["a", "b"], "explanations": ["x"], "correct": 0}, "one explanation per"),
        ({"options": ["a", "b"], "explanations": ["x", "y"], "correct": 2}, "out of range"),
        ({"options": ["a", "b"], "explanations": ["x", "y"], "correct": []}, "no correct"),
        (
            {"options": ["a", "b"], "explanations": ["x", "y"], "correct": [0, 1], "multiple": 0},
            "multiple=False",
        ),
    ],
)
def test_malformed_questions_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Question("Q?", **kwargs)


def test_from_dict_names_missing_and_unknown_keys():
    with pytest.raises(ValueError, match="missing explanations; unknown answer"):
        Question.from_dict({"prompt": "Q?", "options": ["a", "b"], "correct": 0, "answer": 1})


def test_load_questions_reads_a_list_or_an_object(tmp_path):
    item = {"prompt": "Q?", "options": ["a", "b"], "correct": 0, "explanations": ["x", "y"]}
    as_list = tmp_path / "list.json"
    as_list.write_text(json.dumps([item]))
    as_object = tmp_path / "object.json"
    as_object.write_text(json.dumps({"questions": [item]}))
    assert load_questions(as_list) == load_questions(as_object)


def test_load_questions_names_the_bad_question(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"prompt": "Q?", "options": ["a"], "correct": 0}]))
    with pytest.raises(ValueError, match="question 1"):
        load_questions(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_questions(path)


# ------------------------------------------------------------------ model
def test_model_checks_and_counts_attempts():
    model = QuestionModel(single())
    assert model.check().answered is False
    assert model.attempts == 0
    model.selected = (2,)
    assert not model.check().correct
    model.selected = (1,)
    assert model.check().correct
    assert model.correct and model.attempts == 2
    assert model.feedback.startswith(CORRECT_MARK)


def test_changing_the_choice_clears_stale_feedback():
    model = QuestionModel(single())
    model.selected = (1,)
    model.check()
    model.selected = (0,)
    assert model.feedback == ""
    assert model.correct is False


def test_model_validates_the_selection():
    model = QuestionModel(single())
    with pytest.raises(traitlets.TraitError, match="only one option"):
        model.selected = (0, 1)
    with pytest.raises(traitlets.TraitError, match="does not exist"):
        model.selected = (5,)
    multi = QuestionModel(several())
    multi.selected = [2, 0, 2]
    assert multi.selected == (0, 2)


# ------------------------------------------------------------------ view
def test_radio_selection_and_click_show_feedback():
    view = QuestionView(single(), number=1)
    assert view._radio.index is None, "nothing may be pre-selected"
    view._radio.index = 0
    view._button.click()
    assert "Not yet" in view._feedback.value
    view._radio.index = 1
    assert view._feedback.value == "", "a new choice clears the old feedback"
    view._button.click()
    assert "Correct" in view._feedback.value
    assert view.model.correct


def test_checkbox_selection_and_click_show_feedback():
    view = QuestionView(several())
    view._boxes[0].value = True
    view._button.click()
    assert "Not yet" in view._feedback.value
    view._boxes[2].value = True
    view._button.click()
    assert "Correct" in view._feedback.value
    assert view.model.selected == (0, 2)


def test_feedback_html_is_escaped():
    question = Question("Q?", ["<b>a</b>", "b"], [0, 1], ["x < y", "ok"])
    view = QuestionView(question)
    view._boxes[0].value = True
    view._button.click()
    assert "x &lt; y" in view._feedback.value
    assert "<b>a</b>" not in view._feedback.value


def test_quiz_numbers_questions_and_scores():
    quiz = Quiz([single(), several()])
    assert len(quiz.questions) == 2
    assert "Question 2." in quiz.questions[1]._prompt.value
    quiz.questions[0]._radio.index = 1
    quiz.questions[0]._button.click()
    assert quiz.score == 1


def test_quiz_rejects_an_empty_list():
    with pytest.raises(ValueError, match="at least one question"):
        Quiz([])


QUIZ_FILES = sorted(COURSE.glob("quizzes/*.json"))
LESSON_NOTEBOOKS = sorted(COURSE.glob("0[1-9]-*.ipynb"))
MIN_QUESTIONS = 8


def all_items(path: Path) -> list[Question]:
    """The end-of-lesson questions and every in-lesson check of one quiz file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = load_questions(path)
    for name in data.get("checks", {}):
        items += load_questions(path, check=name)
    return items


def test_there_is_one_quiz_per_lesson():
    assert [p.stem for p in QUIZ_FILES] == [p.stem for p in LESSON_NOTEBOOKS]


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_course_quizzes_are_well_formed_and_long_enough(path):
    questions = load_questions(path)
    assert len(questions) >= MIN_QUESTIONS, (
        f"{path.name}: the lesson's self-check has {len(questions)} questions; "
        f"it should have at least {MIN_QUESTIONS}"
    )
    Quiz(path)


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_every_option_explains_why_and_wrong_ones_name_their_misconception(path):
    for number, question in enumerate(all_items(path), start=1):
        for index, text in enumerate(question.explanations):
            where = f"{path.name}, question {number} ({question.prompt[:40]}...), option {index}"
            assert len(text) >= 40, f"{where}: the feedback is too short to explain why"
            if index in question.correct:
                assert text.startswith(("Right:", "Yes:")), (
                    f"{where}: feedback on a right option starts with 'Right:' or 'Yes:'"
                )
            else:
                assert text.startswith("Misconception: "), (
                    f"{where}: feedback on a wrong option names its misconception "
                    "('Misconception: ...') and then says why it is wrong"
                )


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_correct_positions_vary_within_each_quiz(path):
    singles = [q for q in all_items(path) if not q.multiple]
    positions = [next(iter(q.correct)) for q in singles]
    counts = {p: positions.count(p) for p in set(positions)}
    assert len(counts) >= 3, f"{path.name}: right answers sit in only {sorted(counts)}"
    assert max(counts.values()) <= len(positions) / 2, (
        f"{path.name}: position {max(counts, key=counts.get)} holds the right answer in "
        f"{max(counts.values())} of {len(positions)} questions: a guessable pattern"
    )
    runs = max(len(list(group)) for _, group in itertools.groupby(positions))
    assert runs <= 2, f"{path.name}: the same position is right {runs} times in a row"


def test_correct_positions_spread_across_the_course():
    positions = [
        next(iter(q.correct)) for path in QUIZ_FILES for q in all_items(path) if not q.multiple
    ]
    for option in range(4):
        share = positions.count(option) / len(positions)
        assert 0.15 <= share <= 0.35, (
            f"option {option} is right in {share:.0%} of single-choice questions; "
            "keep each position between 15% and 35%"
        )


def test_multi_select_items_do_not_share_one_pattern():
    patterns = [
        (len(q.options), tuple(sorted(q.correct)))
        for path in QUIZ_FILES
        for q in all_items(path)
        if q.multiple
    ]
    assert len(patterns) >= 2
    assert len(set(patterns)) == len(patterns), f"repeated multi-select patterns: {patterns}"
    wrong_last = [p for p in patterns if p[1] == tuple(range(p[0] - 1))]
    assert len(wrong_last) <= 1, f"'all but the last option' is right too often: {wrong_last}"
    assert all(len(c) < n for n, c in patterns), "a tick-all item needs a wrong option"


def test_the_spread_checks_can_fail():
    same = [Question(f"Q{i}", ["a", "b", "c", "d"], 0, ["x" * 40] * 4) for i in range(8)]
    positions = [next(iter(q.correct)) for q in same]
    assert max(positions.count(p) for p in set(positions)) > len(positions) / 2


def test_checks_are_shown_inside_the_lesson_after_their_section():
    import nbformat

    for notebook, path in zip(LESSON_NOTEBOOKS, QUIZ_FILES, strict=True):
        cells = nbformat.read(notebook, as_version=4).cells
        checks = set(json.loads(path.read_text(encoding="utf-8")).get("checks", {}))
        assert len(checks) >= 2, f"{path.name}: at least two short checks inside the lesson"
        end = next(
            i
            for i, c in enumerate(cells)
            if c.cell_type == "markdown" and c.source.startswith("## Self-check")
        )
        used = {}
        for i, cell in enumerate(cells):
            if cell.cell_type == "code":
                for name in checks:
                    if f'check="{name}"' in cell.source:
                        used[name] = i
        assert set(used) == checks, f"{notebook.name}: checks not shown: {checks - set(used)}"
        for name, i in used.items():
            assert i < end, f"{notebook.name}: check {name!r} sits after the final self-check"
            headings = [
                j
                for j, c in enumerate(cells[:i])
                if c.cell_type == "markdown" and "\n## " in "\n" + c.source
            ]
            assert headings and headings[-1] > 0, f"{notebook.name}: {name!r} has no section"
            assert i - headings[-1] >= 2, (
                f"{notebook.name}: check {name!r} should follow the body of the section it tests"
            )


def test_quiz_shows_an_in_lesson_check(tmp_path):
    path = tmp_path / "q.json"
    item = {"prompt": "2 + 2?", "options": ["3", "4"], "correct": 1, "explanations": ["a", "b"]}
    path.write_text(json.dumps({"questions": [item], "checks": {"sums": [item, item]}}))
    quiz = Quiz(path, check="sums")
    assert len(quiz.questions) == 2
    assert "Quick check" in quiz.children[0].value
    assert "Self-check" in Quiz(path).children[0].value
    with pytest.raises(ValueError, match="no check called 'other'; checks: sums"):
        Quiz(path, check="other")
    with pytest.raises(ValueError, match="needs the path of a quiz file"):
        Quiz([item], check="sums")

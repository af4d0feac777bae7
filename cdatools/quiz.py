"""Short self-check quizzes with immediate feedback, for self-study learners.

A quiz is a list of :class:`Question` objects. Each question has a prompt,
options, the index (or indices) of the correct option(s) and one explanation per
option, so that a learner who picks a wrong option learns *why* it is wrong.

The module has three layers, as the course's widgets do:

- :func:`check_answer`, a pure function: a question and the chosen options in,
  a :class:`Feedback` out. No widgets, no state.
- :class:`QuestionModel`, a ``traitlets`` model holding one question's current
  selection and feedback. It runs in plain Python, so it can be tested without
  a browser.
- :class:`QuestionView` and :class:`Quiz`, ``ipywidgets`` views: radio buttons
  (one correct option) or tick boxes (several), a "Check" button and a feedback
  line. Feedback starts with a word and a symbol ("Correct" or "Not yet"), so it
  never relies on colour alone.

Nothing here waits for input or displays itself: a notebook shows a quiz by
making it the last expression of a cell, and a notebook run unattended (as in
the course's tests) simply shows the unanswered quiz.

Questions are usually kept in a JSON file next to the lesson, so the answers are
not in sight while the learner reads; see :func:`load_questions`. Besides the
end-of-lesson ``questions``, a file may hold short ``checks`` shown inside the
lesson right after the section they test: ``Quiz(path, check="functional-trust")``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets
import traitlets

from cdatools.i18n import gettext, ngettext

__all__ = [
    "Feedback",
    "Question",
    "QuestionModel",
    "QuestionView",
    "Quiz",
    "check_answer",
    "load_questions",
]

WHERE = "quiz"
CORRECT_MARK = "\N{CHECK MARK}"
WRONG_MARK = "\N{BALLOT X}"


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Parameters
    ----------
    prompt : str
        The question, in plain text.
    options : sequence of str
        The answers to choose from (at least two).
    correct : int or collection of int
        Index of the correct option, counting from 0, or the indices of all
        correct options when several are correct.
    explanations : sequence of str
        One explanation per option, in the same order as ``options``: why that
        option is right or wrong.
    multiple : bool, optional
        Whether the learner may tick several options. Defaults to True when more
        than one option is correct, else False.

    Raises
    ------
    ValueError
        If there are fewer than two options, the number of explanations differs
        from the number of options, a correct index is out of range, or a
        single-choice question has more than one correct option.

    Examples
    --------
    >>> q = Question("2 + 2?", ["3", "4"], 1, ["Too small.", "Yes."])
    >>> q.correct, q.multiple
    (frozenset({1}), False)
    """

    prompt: str
    options: tuple[str, ...]
    correct: frozenset[int]
    explanations: tuple[str, ...]
    multiple: bool

    def __init__(
        self,
        prompt: str,
        options: Sequence[str],
        correct: int | Collection[int],
        explanations: Sequence[str],
        multiple: bool | None = None,
    ) -> None:
        options = tuple(str(o) for o in options)
        explanations = tuple(str(e) for e in explanations)
        if isinstance(correct, int):
            correct_set = frozenset({correct})
        else:
            correct_set = frozenset(int(i) for i in correct)
        if len(options) < 2:
            raise ValueError(
                f"{WHERE}: question {prompt!r} needs at least two options; got {len(options)}"
            )
        if len(explanations) != len(options):
            raise ValueError(
                f"{WHERE}: question {prompt!r} has {len(options)} options but "
                f"{len(explanations)} explanations; give one explanation per option"
            )
        if not correct_set:
            raise ValueError(f"{WHERE}: question {prompt!r} has no correct option")
        bad = sorted(i for i in correct_set if not 0 <= i < len(options))
        if bad:
            raise ValueError(
                f"{WHERE}: question {prompt!r}: correct option {bad[0]} is out of range; "
                f"options are numbered 0 to {len(options) - 1}"
            )
        if multiple is None:
            multiple = len(correct_set) > 1
        if not multiple and len(correct_set) > 1:
            raise ValueError(
                f"{WHERE}: question {prompt!r} has {len(correct_set)} correct options "
                "but multiple=False; allow several answers or keep one correct option"
            )
        object.__setattr__(self, "prompt", str(prompt))
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "correct", correct_set)
        object.__setattr__(self, "explanations", explanations)
        object.__setattr__(self, "multiple", bool(multiple))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """Build a question from a mapping with the constructor's keys.

        Parameters
        ----------
        data : mapping
            Keys ``prompt``, ``options``, ``correct``, ``explanations`` and
            optionally ``multiple``.

        Returns
        -------
        Question

        Raises
        ------
        ValueError
            If a required key is missing or an unknown key is present.
        """
        required = {"prompt", "options", "correct", "explanations"}
        missing = sorted(required - set(data))
        unknown = sorted(set(data) - required - {"multiple"})
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown {', '.join(unknown)}")
            raise ValueError(f"{WHERE}: question {data.get('prompt')!r}: {'; '.join(problems)}")
        return cls(**data)


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer.

    Attributes
    ----------
    correct : bool
        True when the chosen options are exactly the correct ones.
    text : str
        Plain-text feedback for the learner, starting with "Correct" or "Not yet"
        (or asking for a choice when nothing was chosen).
    answered : bool
        False when no option was chosen.
    """

    correct: bool
    text: str
    answered: bool = True


def check_answer(question: Question, selected: Iterable[int]) -> Feedback:
    """Check the chosen options against a question and explain the result.

    Parameters
    ----------
    question : Question
        The question answered.
    selected : iterable of int
        Indices of the chosen options (empty when nothing is chosen).

    Returns
    -------
    Feedback
        Whether the answer is right, and a text that explains each chosen option.
        For a wrong answer the text does not give the right option away; it says
        why the choice falls short and invites another try.

    Raises
    ------
    ValueError
        If an index is out of range, or several options are chosen for a
        single-choice question.

    Examples
    --------
    >>> q = Question("2 + 2?", ["3", "4"], 1, ["Too small.", "Yes."])
    >>> check_answer(q, [1]).text
    '✓ Correct. Yes.'
    >>> check_answer(q, [0]).correct
    False
    """
    chosen = sorted(set(int(i) for i in selected))
    bad = [i for i in chosen if not 0 <= i < len(question.options)]
    if bad:
        raise ValueError(
            gettext(
                "{where}: option {option} does not exist; options are numbered 0 to {last}"
            ).format(where=WHERE, option=bad[0], last=len(question.options) - 1)
        )
    if not question.multiple and len(chosen) > 1:
        raise ValueError(
            gettext(
                "{where}: {count} options chosen for a single-choice question; choose one"
            ).format(where=WHERE, count=len(chosen))
        )
    if not chosen:
        ask = (
            gettext("Tick one or more options, then press Check.")
            if question.multiple
            else gettext("Choose an option, then press Check.")
        )
        return Feedback(correct=False, text=ask, answered=False)

    is_correct = set(chosen) == question.correct
    if not question.multiple:
        (only,) = chosen
        if is_correct:
            return Feedback(
                True,
                gettext("{mark} Correct. {explanation}").format(
                    mark=CORRECT_MARK, explanation=question.explanations[only]
                ),
            )
        return Feedback(
            False,
            gettext("{mark} Not yet. {explanation} Try another option.").format(
                mark=WRONG_MARK, explanation=question.explanations[only]
            ),
        )

    lines = []
    for i in chosen:
        mark = CORRECT_MARK if i in question.correct else WRONG_MARK
        lines.append(f"{mark} {question.options[i]}: {question.explanations[i]}")
    if is_correct:
        head = gettext("{mark} Correct: you ticked all {count} right options.").format(
            mark=CORRECT_MARK, count=len(question.correct)
        )
    else:
        wrong = sum(i not in question.correct for i in chosen)
        missed = len(question.correct - set(chosen))
        parts = []
        if wrong:
            parts.append(
                ngettext(
                    "{count} ticked option should not be",
                    "{count} ticked options should not be",
                    wrong,
                ).format(count=wrong)
            )
        if missed:
            parts.append(
                ngettext(
                    "{count} right option not ticked yet",
                    "{count} right options not ticked yet",
                    missed,
                ).format(count=missed)
            )
        head = gettext("{mark} Not yet: {problems}. Change your ticks and check again.").format(
            mark=WRONG_MARK, problems=gettext(" and ").join(parts)
        )
    return Feedback(is_correct, "\n".join([head, *lines]))


def load_questions(path: str | Path, check: str | None = None) -> list[Question]:
    """Read a quiz from a JSON file.

    Parameters
    ----------
    path : str or pathlib.Path
        A JSON file holding a list of question objects (see
        :meth:`Question.from_dict`), or an object whose ``questions`` key holds it.
    check : str, optional
        Read the short in-lesson check of that name instead: the object's
        ``checks`` key maps check names to lists of questions.

    Returns
    -------
    list of Question

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not valid JSON or a question is malformed; the message
        names the file and the question's position.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{WHERE}: {path} is not valid JSON: {err}") from err
    if check is not None:
        checks = data.get("checks") if isinstance(data, dict) else None
        if not isinstance(checks, dict) or check not in checks:
            known = ", ".join(sorted(checks)) if isinstance(checks, dict) else "none"
            raise ValueError(f"{WHERE}: {path} has no check called {check!r}; checks: {known}")
        data = checks[check]
    elif isinstance(data, dict):
        data = data.get("questions")
    if not isinstance(data, list) or not data:
        raise ValueError(f"{WHERE}: {path} must hold a non-empty list of questions")
    questions = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"{WHERE}: {path}, question {number} is not a JSON object")
        try:
            questions.append(Question.from_dict(item))
        except (TypeError, ValueError) as err:
            raise ValueError(f"{path}, question {number}: {err}") from err
    return questions


class QuestionModel(traitlets.HasTraits):
    """The state of one question: what is chosen and what feedback is shown.

    Parameters
    ----------
    question : Question
        The question this model holds.

    Attributes
    ----------
    selected : tuple of int
        Indices of the chosen options. Changing it clears the feedback, so stale
        feedback never sits under a new choice.
    feedback : str
        The feedback text from the last :meth:`check`, or ``""``.
    correct : bool
        Whether the last checked answer was right.
    attempts : int
        How many times :meth:`check` ran on a non-empty choice.

    Examples
    --------
    >>> model = QuestionModel(Question("2 + 2?", ["3", "4"], 1, ["Too small.", "Yes."]))
    >>> model.selected = (1,)
    >>> model.check().correct
    True
    """

    selected = traitlets.Tuple()
    feedback = traitlets.Unicode("")
    correct = traitlets.Bool(False)
    attempts = traitlets.Int(0)

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    @traitlets.validate("selected")
    def _valid_selection(self, proposal: dict[str, Any]) -> tuple[int, ...]:
        value = tuple(sorted(set(int(i) for i in proposal["value"])))
        count = len(self.question.options)
        bad = [i for i in value if not 0 <= i < count]
        if bad:
            raise traitlets.TraitError(
                gettext(
                    "{where}: option {option} does not exist; options are numbered 0 to {last}"
                ).format(where=WHERE, option=bad[0], last=count - 1)
            )
        if not self.question.multiple and len(value) > 1:
            raise traitlets.TraitError(
                gettext(
                    "{where}: only one option may be chosen for this question; got {chosen}"
                ).format(where=WHERE, chosen=list(value))
            )
        return value

    @traitlets.observe("selected")
    def _clear_feedback(self, change: dict[str, Any]) -> None:
        self.feedback = ""
        self.correct = False

    def check(self) -> Feedback:
        """Check the current selection and store the feedback.

        Returns
        -------
        Feedback
            The same result :func:`check_answer` gives.
        """
        result = check_answer(self.question, self.selected)
        if result.answered:
            self.attempts += 1
        self.correct = result.correct
        self.feedback = result.text
        return result


def _feedback_html(text: str, correct: bool) -> str:
    """Feedback as HTML: words and symbols carry the meaning, colour only repeats it."""
    if not text:
        return ""
    colour = "#1a7f37" if correct else "#9a3412"
    lines = [html.escape(line) for line in text.splitlines()]
    head = f'<b style="color:{colour}">{lines[0]}</b>'
    rest = "".join(f"<br>{line}" for line in lines[1:])
    return f'<div role="status" aria-live="polite">{head}{rest}</div>'


class QuestionView(ipywidgets.VBox):
    """An ipywidgets view of one question: prompt, choices, Check button, feedback.

    Parameters
    ----------
    question : Question or QuestionModel
        The question to show, or a model that already holds it.
    number : int, optional
        Shown before the prompt ("Question 2").

    Attributes
    ----------
    model : QuestionModel
        The model behind the view; the view only shows and edits it.
    """

    def __init__(self, question: Question | QuestionModel, number: int | None = None) -> None:
        super().__init__()
        self.model = question if isinstance(question, QuestionModel) else QuestionModel(question)
        q = self.model.question
        label = gettext("Question {number}. ").format(number=number) if number is not None else ""
        hint = gettext(" (tick all that apply)") if q.multiple else ""
        self._prompt = ipywidgets.HTML(
            f"<p><b>{html.escape(label)}</b>{html.escape(q.prompt)}<i>{hint}</i></p>"
        )
        if q.multiple:
            self._boxes = [
                ipywidgets.Checkbox(
                    value=False,
                    description=option,
                    indent=False,
                    layout=ipywidgets.Layout(width="auto"),
                )
                for option in q.options
            ]
            for box in self._boxes:
                box.observe(self._boxes_changed, names="value")
            choices = ipywidgets.VBox(self._boxes)
        else:
            self._radio = ipywidgets.RadioButtons(
                options=list(q.options), index=None, layout=ipywidgets.Layout(width="auto")
            )
            self._radio.observe(self._radio_changed, names="index")
            choices = self._radio
        self._button = ipywidgets.Button(
            description=gettext("Check"), tooltip=gettext("Check your answer"), icon="check"
        )
        self._button.on_click(lambda _: self.model.check())
        self._feedback = ipywidgets.HTML()
        self.model.observe(self._show_feedback, names=["feedback"])
        self.children = [self._prompt, choices, self._button, self._feedback]

    def _radio_changed(self, change: dict[str, Any]) -> None:
        index = change["new"]
        self.model.selected = () if index is None else (index,)

    def _boxes_changed(self, change: dict[str, Any]) -> None:
        self.model.selected = tuple(i for i, box in enumerate(self._boxes) if box.value)

    def _show_feedback(self, change: dict[str, Any]) -> None:
        self._feedback.value = _feedback_html(self.model.feedback, self.model.correct)


class Quiz(ipywidgets.VBox):
    """A self-check quiz: one :class:`QuestionView` per question, numbered.

    Parameters
    ----------
    questions : sequence of Question or mapping, or str or pathlib.Path
        The questions, as :class:`Question` objects or mappings with the same
        keys, or the path of a JSON file read with :func:`load_questions`.
    title : str, optional
        A heading shown above the questions (default "Self-check (not graded)",
        or "Quick check (not graded)" for an in-lesson check).
    check : str, optional
        Show the in-lesson check of that name from the JSON file instead of its
        end-of-lesson questions (see :func:`load_questions`).

    Attributes
    ----------
    questions : list of QuestionView
        The views, in order; each has a ``model``.

    Examples
    --------
    >>> quiz = Quiz([{"prompt": "2 + 2?", "options": ["3", "4"], "correct": 1,
    ...               "explanations": ["Too small.", "Yes."]}])
    >>> quiz.questions[0].model.selected = (0,)
    >>> quiz.questions[0].model.check().correct
    False
    """

    def __init__(
        self,
        questions: Sequence[Question | Mapping[str, Any]] | str | Path,
        title: str | None = None,
        check: str | None = None,
    ) -> None:
        super().__init__()
        if title is None:
            title = (
                gettext("Self-check (not graded)")
                if check is None
                else gettext("Quick check (not graded)")
            )
        if check is not None and not isinstance(questions, (str, Path)):
            raise ValueError(f"{WHERE}: check={check!r} needs the path of a quiz file")
        if isinstance(questions, (str, Path)):
            items: list[Question] = load_questions(questions, check=check)
        else:
            items = [q if isinstance(q, Question) else Question.from_dict(q) for q in questions]
        if not items:
            raise ValueError(f"{WHERE}: a quiz needs at least one question")
        self.questions = [QuestionView(q, number=n) for n, q in enumerate(items, start=1)]
        heading = ipywidgets.HTML(f"<h4>{html.escape(title)}</h4>") if title else None
        self.children = [*([heading] if heading else []), *self.questions]

    @property
    def score(self) -> int:
        """How many questions are currently answered correctly (after Check)."""
        return sum(view.model.correct for view in self.questions)

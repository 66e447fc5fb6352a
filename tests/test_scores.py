"""The score parser, table-driven over evaluation texts in tests/data/evaluations."""

import time
from pathlib import Path

import pytest
import yaml

from tutor.scores import DIMENSIONS, parse_scores, round_score, scores_from_mapping

DATA = Path(__file__).parent / "data" / "evaluations"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))


def test_every_text_has_an_expectation():
    texts = {p.name for p in DATA.glob("*.md")}
    assert texts == set(EXPECTED)
    assert len(texts) >= 60
    assert sum(name.split("-")[1] == "neg" for name in texts) >= 15  # texts full of numbers that are not scores


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parses_evaluation_text(name):
    scores = parse_scores((DATA / name).read_text(encoding="utf-8"))
    assert [scores.values[d] for d in DIMENSIONS] == EXPECTED[name]
    assert scores.readable == any(v is not None for v in EXPECTED[name])


HELD_OUT = sorted(p for p in DATA.parent.glob("evaluations_heldout*") if p.is_dir())


@pytest.mark.parametrize("folder", HELD_OUT, ids=lambda p: p.name)
def test_held_out_texts_are_read_right_and_nothing_is_invented(folder):
    """Corpora written blind, by authors who never saw the parser. Each was measured once
    as it arrived (those first-contact figures, in the README, are what the parser does
    on reports it has not met); the parser has been improved on most of them since, so
    here they guard against going back: nothing invented, at least 95% right."""
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    right = invented = total = 0
    for name, values in expected.items():
        got = parse_scores((folder / name).read_text(encoding="utf-8")).values
        for dimension, value in zip(DIMENSIONS, values):
            total += 1
            right += got[dimension] == value
            invented += value is None and got[dimension] is not None
    assert len(expected) >= 60 and total == 5 * len(expected)
    assert invented == 0
    assert right / total >= 0.95, f"{right} of {total} values right"


def test_evidence_comes_from_the_json_block_and_from_bullets():
    block = parse_scores((DATA / "01-json-block.md").read_text(encoding="utf-8"))
    assert block.evidence["critical_thinking"] == "Challenged the zero-probability result."
    bullets = parse_scores((DATA / "08-bullets-bold.md").read_text(encoding="utf-8"))
    assert "bigger n" in bullets.evidence["critical_thinking"]


def test_total_needs_all_five():
    assert parse_scores((DATA / "04-table-simple.md").read_text(encoding="utf-8")).total == 18
    assert parse_scores((DATA / "29-partial-null.md").read_text(encoding="utf-8")).total is None


@pytest.mark.parametrize(("value", "scale", "expected"), [
    (3.74, 5, 3.5), (3.75, 5, 4.0), (8, 10, 4.0), (75, 100, 4.0), (5.5, 5, None), (-1, 5, None), (0, 5, 0.0),
])
def test_round_score(value, scale, expected):
    assert round_score(value, scale) == expected


@pytest.mark.parametrize("data", [
    {"scores": {"question_decomposition": 3, "critical_thinking": "4/5", "connection_making": None, "conceptual_understanding": 4.2, "reflection_quality": 9}},
    {"Question Decomposition": 3, "Critical Thinking": 4, "Conceptual Understanding": 4},
    {"evaluation": {"scores": {"questionDecomposition": {"score": 3}, "criticalThinking": {"score": 4}, "conceptualUnderstanding": 4}}},
])
def test_scores_from_mapping(data):
    scores = scores_from_mapping(data)
    assert scores.values == {
        "question_decomposition": 3, "critical_thinking": 4, "connection_making": None,
        "conceptual_understanding": 4, "reflection_quality": None,
    }


def _only(dimension, value):
    return {d: value if d == dimension else None for d in DIMENSIONS}


@pytest.mark.parametrize(("text", "dimension", "expected"), [
    # Counts, percentages and "N of M" in a sentence are not scores.
    ("Critical Thinking: you answered 3 of 5 examples correctly", "critical_thinking", None),
    ("Connection-Making: you covered 4 of 10 sections", "connection_making", None),
    ("Reflection: 80% of the time you summarised first", "reflection_quality", None),
    ("Critical Thinking: 4/5 questions answered", "critical_thinking", None),
    ("Critical thinking questions answered: 4/5", "critical_thinking", None),
    ("Reflection prompts answered: 4/5", "reflection_quality", None),
    ("Critical thinking: 4 out of 5 times you asked for a source.", "critical_thinking", None),
    ("Critical Thinking: zero-shot prompting came up 3 times.", "critical_thinking", None),
    ("Critical Thinking: 3-4", "critical_thinking", None),
    ("Critical Thinking: +1 since last time", "critical_thinking", None),
    ("Reflection Quality: 0 (not enough evidence)", "reflection_quality", None),
    ("Kritisches Denken: Du hast 4 von 5 Aussagen hinterfragt.", "critical_thinking", None),
    ("Pensamiento crítico: respondiste bien 3 de 5 preguntas.", "critical_thinking", None),
    ("批判性思维：你答对了3/5的问题", "critical_thinking", None),
    ("비판적 사고: 10개 중 8개를 맞혔습니다.", "critical_thinking", None),
    # ... but they are when plainly the dimension's rating.
    ("Critical Thinking: 4/5", "critical_thinking", 4),
    ("Critical thinking — 80%", "critical_thinking", 4),
    ("Critical thinking: 4 out of 5, because you asked for sources.", "critical_thinking", 4),
    ("Critical Thinking: 3 → 4 (+1)", "critical_thinking", 4),
    # Scores in words.
    ("Critical Thinking: a solid four out of five", "critical_thinking", 4),
    ("Critical Thinking: seven out of ten", "critical_thinking", 3.5),
    ("Kritisches Denken: drei von fünf", "critical_thinking", 3),
    ("Kritisches Denken: dreieinhalb von fünf", "critical_thinking", 3.5),
    ("Pensée critique : quatre et demi sur cinq", "critical_thinking", 4.5),
    ("Pensamiento crítico: tres y medio de cinco", "critical_thinking", 3.5),
    ("Pensamento crítico: três e meio de cinco", "critical_thinking", 3.5),
    ("Κριτική σκέψη: τέσσερα στα πέντε", "critical_thinking", 4),
    ("批判性思维：三分半", "critical_thinking", 3.5),
    ("批判的思考は五点満点中四点です。", "critical_thinking", 4),
    ("Pensée critique : très bien, 4/5", "critical_thinking", 4),  # "très" is not "tres" (three)
    # Reworded names; a generic word inside a sentence names nothing.
    ("Breaking your questions into smaller parts: 4/5", "question_decomposition", 4),
    ("Linking ideas across sessions — 3/5", "connection_making", 3),
    ("How well you understood the concepts: 4/5", "conceptual_understanding", 4),
    ("Thinking about your own learning: 2/5", "reflection_quality", 2),
    ("Your reflection was 2 sentences long.", "reflection_quality", None),
    ("You made connections to 4 of 5 earlier sessions.", "connection_making", None),
    ("Connections made to earlier sessions: 4", "connection_making", None),
    # Narrative scores.
    ("For critical thinking I would give you a 4.", "critical_thinking", 4),
    ("I'd put your reflection at three out of five.", "reflection_quality", 3),
    ("Ich gebe dir eine 4 für kritisches Denken.", "critical_thinking", 4),
    ("Te doy un 4 en pensamiento crítico.", "critical_thinking", 4),
    ("Σου βάζω 4 στην κριτική σκέψη.", "critical_thinking", 4),
    ("批判性思维方面，我给你4分（满分5分）。", "critical_thinking", 4),
    # Previous sessions and targets are not this session's scores.
    ("Target for critical thinking: 5/5", "critical_thinking", None),
    ("Last session's critical thinking: 3/5.", "critical_thinking", None),
    ("Critical thinking: not assessed. Overall: 4/5.", "critical_thinking", None),
    ("Critical thinking: 3.5/5 (last session)", "critical_thinking", None),
    ("Critical thinking: 4/5 (up from 3/5 last session)", "critical_thinking", 4),
    # A paragraph that names one dimension and ends with one rating referring back.
    ("Linking ideas was the weak spot today. You kept attention and embeddings apart. I would put that at 2 out of 5.",
     "connection_making", 2),
    ("Conceptual understanding is where you shone. You explained dot products. That earns a 4.5 out of 5.",
     "conceptual_understanding", 4.5),
    ("Reflection was brief today. Overall, I'd rate the session 4 out of 5.", "reflection_quality", None),
    ("Your conceptual understanding is improving. Last session I put that at 3 out of 5.", "conceptual_understanding", None),
    ("Connection-making came up in the quiz. On the quiz, 4 out of 5.", "connection_making", None),
    # Reworded labels with an explicit rating; labels that count something are not dimensions.
    ("**Splitting the question up:** 3/5", "question_decomposition", 3),
    ("**Questioning claims** — 4/5", "critical_thinking", 4),
    ("Conexões entre ideias: ★★★★★", "connection_making", 5),
    ("- Pensamento crítico ★★★☆☆", "critical_thinking", 3),
    ("**Claims challenged:** 4/5", "critical_thinking", None),
    ("**Confidence in your understanding:** 3/5", "conceptual_understanding", None),
    ("**Questioning claims:** 4", "critical_thinking", None),  # a bare number after a reworded label
    # Rubrics say what a level means; they give no score.
    ("Critical Thinking — a 4 here means you test claims unprompted.", "critical_thinking", None),
    ("Critical Thinking: to reach 3 you need to question a claim.", "critical_thinking", None),
    ("Critical Thinking: a 5 requires a counterexample you found yourself.", "critical_thinking", None),
    ("Conceptual Understanding — a 2 means you can repeat a definition.", "conceptual_understanding", None),
    ("Kritisches Denken – eine 4 bedeutet, dass du Behauptungen von dir aus prüfst.", "critical_thinking", None),
    ("Pensée critique : pour atteindre 3, il faut vérifier une affirmation.", "critical_thinking", None),
    ("批判性思维：4分意味着你能主动检验别人的说法。", "critical_thinking", None),
    ("비판적 사고: 5점을 받으려면 반례를 스스로 찾아야 합니다.", "critical_thinking", None),
    ("Critical Thinking: 4/5 — a 4 means you test claims unprompted, and you did.", "critical_thinking", 4),
    # Chinese, Japanese and Korean prose.
    ("问题分解给四分。", "question_decomposition", 4),
    ("批判性思维：三点五分。", "critical_thinking", 3.5),
    ("建立联系方面，我会给3分。", "connection_making", 3),
    ("建立联系：四分之三的例子都联系到了上一节。", "connection_making", None),
    ("批判性思维：你十分认真，用了五分钟。", "critical_thinking", None),
    ("概念理解は100点満点で80点です。", "conceptual_understanding", 4),
    ("批判的思考については、5点満点中3.5点とします。", "critical_thinking", 3.5),
    ("연결 짓기 능력은 5점 만점 중 3.5점으로 평가합니다.", "connection_making", 3.5),
    ("성찰의 질: 다음 세션에서 5점 만점으로 평가하겠습니다.", "reflection_quality", None),
    ("各観点を100点満点で評価しました。\n- 問題の分解：80点", "question_decomposition", 4),
    ("**问题分解：** 你能主动拆分问题。满分5分，我给你打4分。", "question_decomposition", 4),
    # Scores in words.
    ("Pensamiento crítico: un 3,5 sobre 5.", "critical_thinking", 3.5),
    ("Pensamiento crítico: cuatro sobre cinco.", "critical_thinking", 4),
    ("Pensamiento crítico: respondiste cuatro sobre cinco preguntas.", "critical_thinking", None),
    ("Kritisches Denken würde ich mit dreieinhalb von fünf Punkten bewerten.", "critical_thinking", 3.5),
    ("Κριτική σκέψη: τεσσεράμισι στα πέντε.", "critical_thinking", 4.5),
    ("**자기 성찰** — 다섯 점 중 세 점 반입니다.", "reflection_quality", 3.5),
    ("**二、批判性思考：五分中得四分。**", "critical_thinking", 4),
    ("**Σύνδεση εννοιών.** Μία καλή αναλογία. Θα έβαζα τρία στα πέντε.", "connection_making", 3),
    # The score before the name, a scale in brackets, a code span, a wrapped line, /20.
    ("3.5/5 — Conceptual Understanding", "conceptual_understanding", 3.5),
    ("Critical thinking: Level 3 (Developing)", "critical_thinking", 3),  # the rubric's levels are the scores
    ("- **Critical Thinking** — level 5: tests claims unaided; level 1: accepts them.", "critical_thinking", None),
    ("★★★½☆ Conexões entre ideias", "connection_making", 3.5),
    ("3 sessions — Critical Thinking", "critical_thinking", None),
    ("Critical Thinking (0-10): 7", "critical_thinking", 3.5),
    ("- **Critical Thinking:** score `4`/5", "critical_thinking", 4),
    ("Connection-Making: good links. Score: 3.5 out\nof 5.", "connection_making", 3.5),
    ("2. Pensée critique : 16/20", "critical_thinking", 4),
    ("Pensée critique : tu as répondu à 16/20 questions.", "critical_thinking", None),
    ("질문 분해 — 4점 / 5점", "question_decomposition", 4),
    # A name with what it is about, and reworded labels with "Score:" before the rating.
    ("| Vernetzung von Ideen | 3 |", "connection_making", 3),
    ("- **Mise en relation des notions : 10/20**", "connection_making", 2.5),
    ("**一、问题拆解能力：五分中得三分。**", "question_decomposition", 3),
    ("• Descomposición de la pregunta — Nota: 8/10 (equivale a 4/5)", "question_decomposition", 4),
    # Prose: a verdict after the number, "Overall" summing up a dimension's own paragraph.
    ("Question decomposition: I think the score is 3 because some questions were split.", "question_decomposition", 3),
    ("**Connection-making.** This was the strongest area. A 4 feels right.", "connection_making", 4),
    ("**Reflection.** You wrote one line (\"ok\"). Overall I'd place this at a 2.", "reflection_quality", 2),
    ("**Reflection.** You wrote one line. Overall 4/5 for the session.", "reflection_quality", None),
    ("That kind of scepticism earns you a **4** for critical thinking.", "critical_thinking", 4),
    ("Ihr kritisches Denken, das ich mit 3 von 5 Punkten bewerte, zeigte sich vor allem bei RLHF.", "critical_thinking", 3),
    ("Capacidad de conexión .............. 3/5", "connection_making", 3),
    ("- **Capacidade de conexão — 8/10**", "connection_making", 4),
    ("つながりを見つける力は3点。", "connection_making", 3),
    ("### 🔗 つながりを見出す力（２／５）", "connection_making", 2),
    ("### Décomposer une question — Niveau 4 (Maîtrisé)", "question_decomposition", 4),
    ("3. Σύνδεση νέων εννοιών με προηγούμενες γνώσεις: 6/10", "connection_making", 3),
    ("Notions abordées : 2 sur 5 (tokenisation, prédiction)", "conceptual_understanding", None),
    ("**PC1 – Tokens:** pensamento crítico 3 · reflexão 3", "critical_thinking", None),
    ("reflection quality 1 they just said \"cool thanks\"", "reflection_quality", 1),
    ("知識を結びつける力は５段階中３。", "connection_making", 3),
    ("- **問いの分解**：5点＝自ら分解できる／3点＝促されれば分解できる／1点＝漠然とした質問のみ", "question_decomposition", None),
    ("[3/5] Conexões entre Ideias", "connection_making", 3),
    ("• Estabelecimento de ligações — nota 3,5", "connection_making", 3.5),
    ("Y en la reflexión, un 1,5 de 5, porque se limitó a decir «vale».", "reflection_quality", 1.5),
    ("本次每一项都按十分制打分。\n\n【反思质量】五分", "reflection_quality", 2.5),
])
def test_reads_one_statement(text, dimension, expected):
    assert parse_scores(text).values == _only(dimension, expected)


def test_scores_given_for_two_names_in_one_sentence():
    scores = parse_scores("I'd give you a 4 for critical thinking and a 3 for reflection.")
    assert scores.values == {**_only("critical_thinking", 4), "reflection_quality": 3}


@pytest.mark.parametrize("text", [
    "Last time (s2.1) you scored Question Decomposition 3, Critical Thinking 3.5 and Reflection Quality 2.",
    "Your scores from the previous session were:\n\n- Critical Thinking: 3.5/5\n- Reflection Quality: 2/5",
    "La dernière fois, tu avais obtenu 4/5 en pensée critique et 3/5 en compréhension conceptuelle.",
    "上次（第2.2节）你的问题分解是3分，批判性思维是3.5分。",
    "지난 세션에서는 연결 짓기 3점, 개념 이해 4점을 받았습니다.",
])
def test_scores_of_an_earlier_session_are_not_this_sessions(text):
    assert not parse_scores(text).readable


@pytest.mark.parametrize("heading", ["## Compared with last session", "## 지난 세션과의 비교", "## Vergleich mit der letzten Sitzung"])
def test_a_comparison_section_gives_this_sessions_column(heading):
    table = "| Dimension | Last session | This session |\n|---|---|---|\n| Critical Thinking | 3 | 4 |\n"
    assert parse_scores(f"{heading}\n\n{table}").values == _only("critical_thinking", 4)


def test_an_ambiguous_table_leaves_the_prose_its_say():
    table = "| Dimension | KP1 | KP2 |\n|---|---|---|\n| Critical Thinking | 3 | 4 |\n\n"
    assert not parse_scores(table).readable
    prose = "Overall, I'd put your critical thinking for the session at 3.5 out of 5."
    assert parse_scores(table + prose).values == _only("critical_thinking", 3.5)


def test_a_rubric_listed_under_each_name_gives_no_score():
    text = "## Critical Thinking\n- 5 — Tests claims unprompted.\n- 4 — Often questions claims.\n- 3 — Sometimes.\n"
    assert parse_scores(text).values == _only("critical_thinking", None)
    assert parse_scores("## Critical Thinking\n- 4 — tested two claims unprompted.\n").values == _only("critical_thinking", 4)


@pytest.mark.parametrize(("block", "expected"), [
    ('{"evaluation": {"scale": "0-100", "critical_thinking": 58}}', 3),
    ('{"scale": "/10", "critical_thinking": 7}', 3.5),
    ('{"批判性思维": {"分数": 3, "理由": "对温度提出了疑问"}}', 3),
    ('{"pensamento_critico": {"nota": 3.5, "justificativa": "..."}}', 3.5),
])
def test_json_with_a_scale_in_words_or_keys_in_other_languages(block, expected):
    assert parse_scores(f"```json\n{block}\n```").values == _only("critical_thinking", expected)


def test_a_fenced_csv_block_is_a_table():
    text = "```csv\ndimension,score,max\nCritical Thinking,3,5\nReflection Quality,2.5,5\n```"
    values = parse_scores(text).values
    assert (values["critical_thinking"], values["reflection_quality"]) == (3, 2.5)  # not "3,5" read as 3.5


def test_short_keys_count_only_when_most_keys_are_short():
    assert parse_scores('```json\n{"QD": 4, "CT": 3, "CM": 4, "CU": 4, "RQ": 3}\n```').total == 18
    assert parse_scores('```json\n{"ct": 3, "session": 12}\n```').values == _only("critical_thinking", None)


def test_german_spelt_without_umlauts():
    assert parse_scores("verknuepfungen=2\nkonzeptverstaendnis=3").values["connection_making"] == 2


def test_a_rubric_with_units_or_bands_gives_no_score():
    for level in ("{} Punkte", "Band {}"):
        lines = "\n".join(f"- {level.format(n)}: " + "zerlegt Fragen" for n in (5, 3, 1))
        assert parse_scores(f"**Fragezerlegung**\n{lines}\n").values == _only("question_decomposition", None)


def test_a_revision_replaces_the_earlier_score():
    table = "| Dimension | Score |\n|---|---|\n| Critical Thinking | 4 |\n| Reflection Quality | 3 |\n"
    revised = table + "\nMy table above gives 3, but that was too generous: I revise Reflection Quality down to 2.\n"
    final = table + "\n**Final scores (after revision):** Critical Thinking 4, Reflection Quality 2.\n"
    assert parse_scores(final).values["reflection_quality"] == 2
    assert parse_scores(revised).values["reflection_quality"] == 3  # "down to 2" is not read: the table stands
    assert parse_scores("### Critical Thinking — 3\nRevising: **Critical Thinking 3.5**.").values["critical_thinking"] == 3.5


def test_a_table_of_earlier_sessions_is_not_this_session():
    table = "| Dimension | Session 3 | Session 4 | Target |\n|---|---|---|---|\n| Critical Thinking | 2 | 3 | 4 |\n"
    assert parse_scores(table).values["critical_thinking"] == 3  # the latest session is this one
    today = "Today (session 5) was cut short; I give no new scores.\n\n" + table
    assert parse_scores(today).values["critical_thinking"] is None


def test_initials_count_three_or_more_on_one_line():
    values = parse_scores("QD 4 | CT 3 | CM 3 | CU 4 | RQ 3\n\n(QD = question decomposition, ...; all on 0-5.)").values
    assert list(values.values()) == [4, 3, 3, 4, 3]
    assert not parse_scores("The CT scan took 3 minutes; CU 2 was closed.").readable


def test_a_list_after_the_previous_session_or_under_targets_is_not_this_session():
    after = "I could not grade today.\n\nHere is where you stood after the **previous** session:\n\n- Critical Thinking: 2\n"
    assert parse_scores(after).values["critical_thinking"] is None
    targets = "**Zielwerte für die nächste Sitzung** (Skala 0–5)\n- Kritisches Denken: 4\n"
    assert parse_scores(targets).values["critical_thinking"] is None


def test_a_list_for_reference_only_is_not_this_session():
    text = ("Re-assessed this session:\n- Critical Thinking: 3/5\n\n"
            "Not re-assessed this session (for reference only, your session 5 results):\n- Reflection Quality: 4/5\n")
    assert parse_scores(text).values == {**_only("critical_thinking", 3)}


def test_a_report_that_gives_no_new_scores_keeps_only_todays():
    text = ("I'm not assigning new scores for this session.\n\n| Dimension | Session 3 |\n|---|---|\n| Critical Thinking | 2 |\n"
            "| Reflection Quality | 2 |\n\n**Reflection Quality (today): 3/5**")
    assert parse_scores(text).values == {**_only("reflection_quality", 3)}


def test_the_learners_own_ratings_are_not_the_graders():
    text = ("The learner filled in the form and rated themselves as follows:\n\n"
            "> Critical Thinking 5/5, Reflection Quality 4/5\n\nI give no scores for this session.")
    assert not parse_scores(text).readable


def test_json_on_a_zero_to_one_scale_is_not_guessed():
    assert not parse_scores('```json\n{"critical_thinking": 0.8, "reflection_quality": 0.4}\n```').readable


def _repeat(unit: str, size: int = 80_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


HOSTILE = {
    "braces": _repeat("{"), "pipes": _repeat("|"), "brackets": _repeat("["), "digits": _repeat("7"),
    "names": _repeat("Critical Thinking "), "backticks": _repeat("`"), "newlines": _repeat("\n"),
    "name then digits": "Critical Thinking: " + _repeat("7"), "name pipes": _repeat("Critical Thinking | "),
    "table rows": _repeat("| Critical Thinking | 3 of 5 examples |\n"), "open json": _repeat('{"critical_thinking": '),
    "closed braces": "{" + _repeat("{}") + "}", "fences": _repeat("```json\n{\"critical thinking\": x}\n```\n"),
    "counts": _repeat("Reflection: you answered 3 of 5 examples correctly. "), "cjk names": _repeat("批判性思维给你打分"),
    "deep list": "```\n" + _repeat("[") + "\n```", "200 KB names": _repeat("Critical Thinking: ", 200_000),
    "200 KB mixed": _repeat("## Reflection\n| s1.1 | 3/5 | +1 |\n{[`*80% of 4 out of 10 ", 200_000),
    "paragraphs": _repeat("Linking ideas was weak. I'd put that at 2 out of 5, a 3 means 4.\n\n", 200_000),
    "paragraph lines": _repeat("Reflection was 4/5 that a 3, 2 out of 5,\n", 200_000),
    "kp headings": _repeat("### KP1\n- Critical thinking: 3/5\n", 200_000),
    "labels": _repeat("**Splitting the question up:** ★★★☆☆ 3/5\n", 200_000),
    "past lead-ins": _repeat("Your scores from the previous session were:\n- a\n\n", 200_000),
    "cjk prose": _repeat("在问题分解上，你这次表现不错，我给四分，三点五分。\n", 200_000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_parses_in_bounded_time(name):
    start = time.perf_counter()
    parse_scores(HOSTILE[name])
    assert time.perf_counter() - start < 5

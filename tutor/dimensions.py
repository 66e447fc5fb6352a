"""The five dimensions a session is graded on: their keys (the JSON contract) and names.

Kept apart from the score parser so that commands which only show scores (progress,
list, journal) do not pay for compiling the parser's vocabulary.
"""

DIMENSIONS = ("question_decomposition", "critical_thinking", "connection_making", "conceptual_understanding", "reflection_quality")
DIMENSION_TITLES = {
    "question_decomposition": "Question Decomposition",
    "critical_thinking": "Critical Thinking",
    "connection_making": "Connection-Making",
    "conceptual_understanding": "Conceptual Understanding",
    "reflection_quality": "Reflection Quality",
}

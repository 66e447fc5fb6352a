"""What the five dimensions, and the words around a score, are called in the languages
the tutor teaches in. The parser folds text (case, accents, full-width forms) before it
compares, so each name is listed once, in any case and with or without accents.
"""

ALIASES = {
    "question_decomposition": [
        "question decomposition", "decomposing questions", "decomposition of questions", "questioning decomposition",
        "breaking down questions", "breaking down the question", "breaking down problems", "problem decomposition",
        "question breakdown", "decomposition",
        "问题分解", "問題分解", "问题拆解", "拆解问题", "質問の分解", "問いの分解",
        "질문 분해", "문제 분해", "질문 분석",
        "fragenzerlegung", "fragezerlegung", "zerlegung von fragen", "zerlegung der fragen", "problemzerlegung", "zerlegung",
        "décomposition des questions", "décomposition de questions", "décomposition des problèmes", "décomposition",
        "descomposición de preguntas", "descomposición de problemas", "descomposición",
        "decomposição de perguntas", "decomposição de questões", "decomposição de problemas", "decomposição",
        "αποσύνθεση ερωτήσεων", "ανάλυση ερωτήσεων", "διάσπαση ερωτήσεων", "αποδόμηση ερωτήσεων", "αποσύνθεση",
    ],
    "critical_thinking": [
        "critical thinking", "critical analysis", "critical reasoning",
        "批判性思维", "批判性思考", "批判思维", "批判性思維", "批判的思考", "批判的思考力",
        "비판적 사고", "비판적 사고력",
        "kritisches denken", "kritisches hinterfragen", "kritische denkfähigkeit",
        "pensée critique", "esprit critique",
        "pensamiento crítico", "pensamento crítico",
        "κριτική σκέψη",
    ],
    "connection_making": [
        "connection-making", "connection making", "making connections", "connecting ideas", "connecting concepts",
        "linking ideas", "connections",
        "建立联系", "联系建立", "建立連結", "知识关联", "关联能力", "联系能力", "関連付け", "関連づけ", "つながりの構築", "結びつけ",
        "연결 짓기", "연결짓기", "연결 능력", "연결하기", "연관 짓기",
        "verknüpfungen herstellen", "verbindungen herstellen", "zusammenhänge herstellen", "verknüpfung", "vernetzung",
        "établissement de liens", "établir des liens", "faire des liens", "création de liens", "mise en relation", "connexions",
        "establecimiento de conexiones", "establecer conexiones", "hacer conexiones", "conexiones",
        "estabelecimento de conexões", "estabelecer conexões", "fazer conexões", "conexões",
        "σύνδεση εννοιών", "δημιουργία συνδέσεων", "σύνδεση ιδεών", "συνδέσεις",
    ],
    "conceptual_understanding": [
        "conceptual understanding", "understanding of concepts", "concept understanding", "conceptual grasp", "concept mastery",
        "概念理解", "概念的理解", "概念の理解", "概念掌握",
        "개념 이해", "개념적 이해", "개념이해",
        "konzeptuelles verständnis", "konzeptionelles verständnis", "begriffliches verständnis", "konzeptverständnis",
        "compréhension conceptuelle", "compréhension des concepts",
        "comprensión conceptual", "comprensión de conceptos",
        "compreensão conceitual", "compreensão conceptual", "compreensão de conceitos",
        "εννοιολογική κατανόηση", "κατανόηση εννοιών",
    ],
    "reflection_quality": [
        "reflection quality", "quality of reflection", "quality of reflections", "reflective quality", "self-reflection",
        "metacognition", "reflection",
        "反思质量", "反思品质", "反思的质量", "反思能力", "反思", "振り返りの質", "内省の質", "省察の質", "振り返り", "内省",
        "성찰의 질", "성찰 품질", "성찰 수준", "성찰",
        "reflexionsqualität", "qualität der reflexion", "selbstreflexion", "reflexion",
        "qualité de la réflexion", "qualité de réflexion", "réflexion",
        "calidad de la reflexión", "calidad de reflexión", "reflexión",
        "qualidade da reflexão", "qualidade de reflexão", "reflexão",
        "ποιότητα αναστοχασμού", "ποιότητα στοχασμού", "αναστοχασμός", "αναστοχασμού",
    ],
}

# Regex alternatives, already folded (lower case, no accents).
# A column or row that gives the session-wide figure, not one knowledge point's.
OVERALL_WORDS = (
    r"overall|average|\bavg\b|\bmean\b|final|summary|gesamt|durchschnitt|insgesamt|global|moyenne|promedio|general"
    r"|\bmedia\b|συνολικ|μεσος ορος|总体|總體|综合|綜合|平均|整体|總評|総合|全体|종합|평균|전체"
)
# A column that holds the score, or a label before a bare number ("Score: 4").
SCORE_WORDS = (
    r"score|rating|grade|points|\bnote\b|bewertung|punkte|punktzahl|puntuacion|calificacion|nota|pontuacao|βαθμολογια"
    r"|βαθμος|评分|得分|分数|評分|分數|スコア|点数|評価|점수|평가"
)

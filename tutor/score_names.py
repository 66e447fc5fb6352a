"""What the five dimensions, and the words around a score, are called in the languages
the tutor teaches in (English, Chinese, Japanese, Korean, German, French, Spanish,
Portuguese, Greek). The parser folds text (case, accents, full-width forms, final
sigma) before it compares, so each word is listed once, in any case and with or
without accents. Word lists are whitespace-separated; "_" joins the words of a phrase.
The second half of the module turns the words into the matchers the parser uses.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Full-width digits and colons to ASCII, "½" to ".5", case folded, accents dropped,
    underscores to spaces, so that "４／５", "3½", "critical_thinking" and "Pensée
    critique" compare plainly."""
    text = unicodedata.normalize("NFKC", text.replace("½", ".5")).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_MARKS))
    return text.replace("_", " ").replace("⁄", "/")


# Combining marks (accents, Greek tonos, kana voicing marks) that folding drops.
_MARKS = dict.fromkeys([*range(0x300, 0x370), *range(0x1AB0, 0x1B00), *range(0x1DC0, 0x1E00), *range(0x20D0, 0x2100),
                        *range(0xFE20, 0xFE30), 0x3099, 0x309A])


# Full names: they name a dimension wherever they stand, even inside a sentence.
ALIASES = {
    "question_decomposition": [
        "question decomposition", "decomposing questions", "decomposition of questions", "questioning decomposition",
        "breaking down questions", "breaking down the question", "breaking down problems", "problem decomposition",
        "question breakdown", "decomposition of the question", "decomposition of the problem",
        "问题分解", "問題分解", "问题拆解", "拆解问题", "質問の分解", "問いの分解", "問題の分解",
        "질문 분해", "문제 분해", "질문 분석",
        "fragenzerlegung", "fragezerlegung", "zerlegung von fragen", "zerlegung der fragen", "problemzerlegung",
        "zerlegung der fragestellung", "zerlegung der frage", "zerlegung des problems",
        "décomposition des questions", "décomposition de questions", "décomposition des problèmes",
        "décomposition de la question", "décomposition du problème",
        "descomposición de preguntas", "descomposición de problemas", "descomposición de la pregunta",
        "descomposición de las preguntas", "descomposición del problema",
        "decomposição de perguntas", "decomposição de questões", "decomposição das questões", "decomposição de problemas", "decomposição da pergunta",
        "decomposição das perguntas", "decomposição da questão", "decomposição do problema", "decompor pergunta",
        "decompor as pergunta", "descomponer pregunta", "descomponer las pregunta",
        "αποσύνθεση ερωτήσεων", "ανάλυση ερωτήσεων", "ανάλυση των ερωτήσεων", "αποσύνθεση των ερωτήσεων", "διάσπαση ερωτήσεων", "αποδόμηση ερωτήσεων",
        # stems: the name runs on to the end of its word, so "ερωτημ" covers ερωτήματος and ερωτημάτων
        "ανάλυση ερωτημ", "ανάλυση του ερωτήματος", "αποσύνθεση ερωτημ", "αποσύνθεση του ερωτήματος", "διάσπαση ερωτημ",
        "ανάλυση της ερώτησης", "αποσύνθεση της ερώτησης", "ανάλυση προβλημ",
    ],
    "critical_thinking": [
        "critical thinking", "critical analysis", "critical reasoning",
        "批判性思维", "批判性思考", "批判思维", "批判思考", "クリティカルシンキング", "クリティカル・シンキング", "批判性思維", "批判的思考", "批判的思考力",
        "비판적 사고", "비판적 사고력",
        "kritisches denken", "kritischen denken", "kritische denken", "kritisches hinterfragen", "kritische denkfähigkeit",
        "pensée critique", "esprit critique", "espírito crítico",
        "pensamiento crítico", "pensamento crítico",
        "κριτική σκέψη",
    ],
    "connection_making": [
        "connection-making", "connection making", "making connections", "connecting ideas", "connecting concepts",
        "linking ideas",
        "建立联系", "联系建立", "建立連結", "知识关联", "关联能力", "联系能力", "関連付け", "関連づけ", "つながりの構築", "つながりを作る力", "結びつけ",
        "연결 짓기", "연결짓기", "연결 능력", "연결하기", "연관 짓기", "연관성 구축",
        "verknüpfungen herstellen", "verbindungen herstellen", "zusammenhänge herstellen", "herstellen von verbindungen",
        "établissement de liens", "établir des liens", "faire des liens", "création de liens",
        "establecimiento de conexiones", "establecer conexiones", "hacer conexiones",
        "estabelecimento de conexões", "estabelecer conexões", "fazer conexões",
        "σύνδεση εννοιών", "δημιουργία συνδέσεων", "σύνδεση ιδεών", "知识联结", "개념 간 연결", "关联建构", "联系建构", "融会贯通", "融會貫通", "联系与迁移", "知识迁移",
    ],
    "conceptual_understanding": [
        "conceptual understanding", "understanding of concepts", "concept understanding", "conceptual grasp", "concept mastery",
        "概念理解", "概念的理解", "概念の理解", "概念掌握",
        "개념 이해", "개념적 이해", "개념이해",
        "konzeptuelles verständnis", "konzeptuelle verständnis", "konzeptuellen verständnis", "konzeptionelles verständnis", "konzeptionelle verständnis", "konzeptionellen verständnis", "begriffliches verständnis", "konzeptverständnis",
        "compréhension conceptuelle", "compréhension des concepts",
        "comprensión conceptual", "comprensión de conceptos",
        "compreensão conceitual", "compreensão conceptual", "compreensão de conceitos", "compreensão dos conceitos",
        "εννοιολογική κατανόηση", "κατανόηση εννοιών",
    ],
    "reflection_quality": [
        "reflection quality", "quality of reflection", "quality of reflections", "reflective quality", "self-reflection",
        "反思质量", "反思品质", "反思的质量", "反思能力", "反思深度", "反思水平", "振り返りの質", "内省の質", "省察の質",
        "성찰의 질", "성찰 품질", "성찰 수준",
        "reflexionsqualität", "qualität der reflexion", "selbstreflexion",
        "qualité de la réflexion", "qualité de réflexion",
        "calidad de la reflexión", "calidad de reflexión",
        "qualidade da reflexão", "qualidade de reflexão",
        "ποιότητα αναστοχασμού", "ποιότητα στοχασμού",
        "self-evaluation", "autoavaliação", "autoevaluación", "auto-évaluation", "autoévaluation", "selbsteinschätzung",
        "αυτοαξιολόγηση", "自我评估", "自己評価", "자기 평가", "자기평가",
    ],
}

# Generic words and reworded headings. They name a dimension only as a label (start of a
# line, a table cell, a key) or in a sentence that awards a score ("I'd put your reflection
# at 3/5"); elsewhere "your reflection was 2 sentences long" is just a sentence.
LABEL_ALIASES = {
    "question_decomposition": [
        "decomposition", "breaking your questions into smaller parts", "breaking questions into smaller parts",
        "breaking questions down", "breaking down your questions", "breaking problems into parts", "splitting questions",
        "asking focused questions", "decomposing problems",
        "拆解问题的能力", "把问题拆成小问题", "分解问题", "问题拆分", "問いを分解する力", "質問を小さく分ける", "問いの分け方",
        "질문을 작은 부분으로 나누기", "질문 쪼개기", "질문 나누기",
        "zerlegung", "fragen in teilfragen zerlegen", "fragen zerlegen", "zerlegen von fragen",
        "décomposition", "découper les questions", "découpage des questions",
        "descomposición", "dividir las preguntas en partes más pequeñas", "dividir las preguntas", "división de preguntas",
        "decomposição", "dividir as perguntas em partes menores", "dividir as perguntas", "divisão das perguntas",
        "αποσύνθεση", "διάσπαση των ερωτήσεων σε μικρότερα μέρη", "διάσπαση ερωτήσεων σε μέρη",
    ],
    "critical_thinking": [
        "thinking critically about claims", "thinking critically", "critical thought", "critical evaluation",
        "questioning assumptions", "challenging assumptions",
        "审辩思维", "批判地思考", "批判的に考える力", "批判的に考える",
        "비판적으로 생각하기", "비판적 사고하기",
        "kritisch hinterfragen", "kritisch denken", "sens critique", "penser de façon critique", "penser de manière critique",
        "pensar de forma crítica", "pensar críticamente", "pensar criticamente", "pensar de forma crítica sobre",
        "κριτική προσέγγιση", "κριτική αξιολόγηση",
    ],
    "connection_making": [
        "connections", "connection", "linking ideas across sessions", "linking concepts", "relating ideas",
        "relating concepts", "making links",
        "知识联系", "联系", "关联", "知識のつながり", "つながり",
        "아이디어 연결", "개념 연결",
        "verknüpfung", "vernetzung", "ideen miteinander verknüpfen", "ideen verknüpfen", "zusammenhänge erkennen",
        "mise en relation", "connexions", "liens entre les idées", "faire des liens entre les idées",
        "conexiones", "relacionar ideas entre sesiones", "relacionar ideas", "conexión de ideas",
        "conexões", "conexão", "relacionar ideias", "relacionar conceitos", "ligação entre ideias", "conexión",
        "συνδέσεις", "σύνδεση των ιδεών",
    ],
    "conceptual_understanding": [
        "how well you understood the concepts", "understanding the concepts", "understanding of the concepts",
        "understanding of key concepts", "grasp of concepts", "grasp of the concepts", "depth of understanding",
        "对概念的理解", "概念の理解度", "개념에 대한 이해", "개념 이해도",
        "verständnis der konzepte", "verständnis der begriffe", "begriffsverständnis",
        "compréhension des notions", "maîtrise des concepts",
        "comprensión de los conceptos", "dominio de los conceptos",
        "compreensão dos conceitos", "domínio dos conceitos",
        "κατανόηση των εννοιών",
    ],
    "reflection_quality": [
        "reflection", "reflections", "metacognition", "thinking about your own learning", "reflecting on your learning",
        "reflecting on learning", "self-assessment",
        "反思", "自我反思", "振り返り", "内省", "自己省察", "성찰", "자기 성찰", "자신의 학습 돌아보기", "학습 돌아보기",
        "reflexion", "nachdenken über das eigene lernen", "réflexion", "métacognition", "réflexion sur votre apprentissage",
        "reflexión", "metacognición", "reflexionar sobre tu propio aprendizaje", "reflexión sobre tu aprendizaje",
        "reflexão", "metacognição", "refletir sobre a tua aprendizagem", "reflexão sobre a aprendizagem",
        "αναστοχασμός", "αναστοχασμού", "μεταγνώση", "σκέψη για τη μάθησή σου",
    ],
}

# Regex alternatives, already folded (lower case, no accents).
# A column or row that gives the session-wide figure, not one knowledge point's.
OVERALL_WORDS = (
    r"overall|average|\bavg\b|\bmean\b|final|summary|gesamt|durchschnitt|insgesamt|global|moyenne|promedio|general"
    r"|\bmedia\b|συνολικ|μεσοσ οροσ|总体|總體|综合|綜合|平均|整体|總評|総合|全体|종합|평균|전체"
)
# A column that holds the score, or a label before a bare number ("Score: 4").
LEVEL_WORDS = r"\blevel\b|\bband\b|\bniveau\b|\bnivel\b|\bstufe\b|επιπεδο|レベル|수준|等级|水平"
SCORE_WORDS = (
    r"score|rating|grade|points|\bnote\b|bewertung|punkte|punktzahl|puntuacion|calificacion|nota|pontuacao|βαθμολογια"
    r"|βαθμοσ|评分|得分|分数|評分|分數|スコア|点数|評価|점수|평가"
    rf"|{LEVEL_WORDS}"  # "Level 3 (Proficient)"
)

# Table columns, rows and headings that are not this session's scores, checked in this
# order (a "previous score" column is previous, not a score column).
# "Now" in a sentence; "after" words mark a table's current column ("Before | After") but not
# a sentence's time ("after the previous session" is the past), so they are kept apart.
NOW = (r"current|this session|this time|\bnow\b|today|latest|\bnew\b|aktuell|diese sitzung|heute|jetzt"
       r"|actuel|cette seance|cette session|maintenant|aujourd|\bactual\b|esta sesion|ahora|\bhoy\b"
       r"|\batual\b|esta sessao|agora|\bhoje\b|τρεχουσ|τωριν|αυτη η συνεδρια|σημερα|本次|本节|本節"
       r"|这次|這次|当前|當前|现在|本轮|今回|現在|이번|현재|오늘|금번")
AFTER = r"\bafter\b|nachher|apres|despues|depois|\bμετα\b"
ROLES = {
    "change": r"change|delta|(?<![α-ω])δ(?![α-ω])|\bdiff|difference|trend|improvement|\+/-|±|veranderung|anderung|differenz|entwicklung"
              r"|evolution|variation|ecart|cambio|variacion|diferencia|mudanca|variacao|diferenca|evolucao|μεταβολη|αλλαγη"
              r"|διαφορα|变化|變化|增减|增減|差值|変化|差分|増減|변화|증감|차이",
    "target": r"target|goal|expected|benchmark|\baim\b|\bnext\b|\bziel|\bsoll\b|nachste|objectif|cible|attendu|prochaine"
              r"|\bmeta\b|objetivo|\balvo\b|esperado|proxima|στοχο|επομεν|目标|目標|期望|下次|下节|次回|목표|다음",
    "previous": r"previous|\bprev\b|\blast\b|before|prior|earlier|baseline|vorher|vorherige|letzte|zuvor|bisher|precedent"
                r"|\bavant\b|derniere|anterior|\bprevia\b|\bantes\b|pasada|passada|προηγουμεν|\bπριν\b|上次|之前|以前|前次|上一"
                r"|前回|이전|지난|저번|직전",
    "current": rf"{NOW}|{AFTER}",
}

# Section headings and labels in front of a number that make it an id, not a score.
ITEM_WORDS = (
    "session sessions sitzung seance sesion sessao συνεδρια lesson lektion lecon leccion licao μαθημα kp kps"
    " knowledge_point knowledge_points wissenspunkt wissenspunkte point_de_connaissance points_de_connaissance"
    " punto_de_conocimiento puntos_de_conocimiento ponto_de_conhecimento pontos_de_conhecimento σημειο σημεια"
    " 知识点 知識点 지식_포인트 step schritt etape paso passo βημα question frage exercise ubung exercice ejercicio"
    " exercicio ασκηση example beispiel exemple ejemplo exemplo παραδειγμα chapter kapitel chapitre capitulo κεφαλαιο"
    " module modul unit section abschnitt page seite slide folie task aufgabe tache tarea tarefa round runde turn"
    " week woche part teil partie parte version phase lecture problem item セッション 세션 第"
)
# Units after a number that make it a duration, a count or a size.
UNIT_WORDS = (
    "minutes minute mins min hours hour hrs hr h seconds second secs sec days day weeks months years"
    " minuten stunden stunde sekunden tage tagen wochen monate jahre heures heure jours semaines mois ans annees"
    " horas hora minutos segundos dias semanas meses anos λεπτα λεπτο ωρες ωρα μερες ημερες εβδομαδες χρονια"
    " 分钟 分鐘 分間 小时 小時 時間 秒 天 个月 か月 시간 분 분간 초 개월"
    " times mal fois veces vezes φορεσ 次 回 번 차례"
    " billion million thousand trillion bn mio mrd milliarden millionen milliards millions mil_millones millones mil"
    " bilioes milhoes milhares δισεκατομμυρια εκατομμυρια 亿 億 万 억 만 b m k t"
    " parameters params tokens token layers layer heads head dimensions dimensional dims words characters bits bit"
    " gb mb kb tb gpus gpu epochs"
)

# Number words 0-10, and the ways to say "and a half" or "point five" after one.
NUMBER_WORDS = {
    0: "zero null zéro cero μηδέν",
    1: "eins one ein eine un une uno una um uma ένα μία μια",
    2: "two zwei deux dos dois duas δύο δυο",
    3: "three drei trois tres três τρία τρεις",
    4: "four vier quatre cuatro quatro τέσσερα τέσσερις",
    5: "five fünf cinq cinco πέντε",
    6: "six sechs seis έξι",
    7: "seven sieben sept siete sete επτά εφτά",
    8: "eight acht huit ocho oito οκτώ οχτώ",
    9: "nine neun neuf nueve nove εννέα εννιά",
    10: "ten zehn dix diez dez δέκα",
}
# Words that are numbers only in "one out of five" or before a half: articles ("un bon
# travail"), "null" (JSON), French "très" (folded "tres") and "neuf" ("new").
CONTEXT_ONLY = "zero null zéro cero μηδέν one ein eine un une uno una um uma ένα μία μια tres neuf"
HALF_AFTER = [
    "and a half", "-and-a-half", "and one half", "einhalb", "et demi", "et demie", "y medio", "y media", "e meio",
    "e meia", "και μισό",
]
POINT_FIVE = "point komma virgule coma punto vírgula κόμμα"
HALF_COMPOUNDS = {"anderthalb": 1.5, "ενάμισι": 1.5, "δυόμισι": 2.5, "τρεισήμισι": 3.5, "τριάμισι": 3.5,
                  "τεσσερισήμισι": 4.5, "τεσσεράμισι": 4.5}
OUT_OF = "out_of_a_possible out_of of von aus sur sobre de su em από στα στους"

# Words that may stand between a dimension's name and its score without making the number
# something else: articles, pronouns, copulas, prepositions, quality words, score labels.
FILLER_WORDS = (
    "a an the is was are were be been would will shall i d ll m ve s we you your yours it its this that here there"
    " at as to with in and on for my me our us so then now currently today also still again clearly firmly"
    " solid strong good very fair decent respectable clear high low modest reasonable well deserved earned full easy"
    " just only mere comfortable excellent outstanding great adequate satisfactory proficient developing emerging"
    " advanced limited basic competent moderate weak around about roughly approximately session band one whole entire time"
    " score scores rating ratings grade mark note points result value dimension criterion skill skills"
    " think believe say feel guess reckon which whom welche welches que qui lequel laquelle cual οποια οποιο"
    " ich du dir dich sie ihnen wir es das der die den dem des dein deine deiner deinen ihr ihre ein eine einen einem"
    " ist war sind waren wird wurde wurden ware bei mit fur zu im am auf hier heute diesmal jetzt dafur damit"
    " nur solide gute guten gut sehr starke stark klare glatte knapp ordentliche bewertung punktzahl wertung ganze ganzen"
    " gesamte uber sitzung"
    " je j tu te vous il elle on c ce cela ca est etait serait le la les l de des du au a ton ta tes votre vos"
    " ici en pour avec sur solide bon bonne tres bien evaluation seulement"
    " yo le les usted es era seria un una el lo los las del al aqui para con muy buen buena solido solida"
    " puntuacion calificacion valoracion su tus mi solo esta este sesion toda entera"
    " eu lhe te ti um uma voce e foi o os as do da ao aqui em no na para com muito bom boa seu sua teu tua pontuacao avaliacao"
    " classificacao apenas"
    " σου σας σε του της εγω θα το τη την τον ο η ενα μια ενασ ειναι ηταν εδω στο στη στην με για πολυ καλο"
    " καλη σταθερο βαθμο βαθμολογια βαθμοσ αξιολογηση μονο"
)
# Verbs of scoring: with one of these a sentence gives a score ("I'd give you a 4").
SCORE_VERBS = (
    "give gives giving gave given rate rates rated score scored award awards awarded grade graded assign assigned"
    " put puts place placed deserve deserves deserved earn earns merit merits receive receives received gets"
    " lands land sits stands comes mark marked evaluate assess assessed place set peg call"
    " gebe gibt geben vergebe bewerte bewerten bewertet sehe setze liegt liegst lag erhaltst erhalt bekommst bekommt"
    " verdient verdienst komme kommst lande ergibt reicht bewerten geben vergeben einstufen"
    " donne donnerais donnerai attribue attribuerais mets mettrais noterais evalue merite meritez obtient obtenez"
    " obtiens recoit recois recevez situe situerais vaut attribuer mettre"
    " doy daria pongo pondria asigno asignaria otorgo califico calificaria puntuo evaluo merece mereces obtiene gana ganas"
    " obtienes recibe recibes sacas saca vale poner dar"
    " dou daria atribuo atribuiria coloco colocaria ponho avalio avaliaria obtem recebe recebes tira tiras"
    " βαζω βαζουμε δινω δινουμε βαθμολογω αξιζει αξιζεισ παιρνει παιρνεισ λαμβανει εβαζα εδινα"
)
# The same for Chinese, Japanese and Korean, where words are not spaced: a run of these
# (with punctuation removed) is filler; the second list are the verbs of scoring.
CJK_FILLER = (
    "我 我们 你 您 的 是 为 為 评为 評為 评定为 可以 可 能 能够 在 这 這 这一项 一项 项 方面 上 本项 本次 这次 分数 评分 得分"
    " 会 會 个 個 到 就 力 について については に関して この 観点 項目 항목 부분"
    " 能力 分數 評分 给予 给出 打出 拿到 达到 约 大约 得到 获得 獲得 得 良好 优秀 不错 很好 较好 一般 只有 仅"
    " は が を に の で へ 私 あなた 評価 点数 スコア 今回 として です ます 良い 優秀 十分"
    " 은 는 이 가 을 를 에 에는 에서 의 로 으로 점수 평가 저는 제가 나는 당신 이번 에게 우수 양호 보통 능력 능력은 도 에서는"
)
CJK_VERBS = "给 給 打 评 評 付け つけ 与え 드립 줍 주겠 드리 매기"

# After a score, these words may follow without turning it into a count ("4/5 because ...").
FOLLOW_WORDS = (
    "because since as and but so though although while which overall here today this too only mainly mostly partly"
    " they he she you we i it"
    " weil da denn und aber also insgesamt hier heute car parce et mais donc ici puisque bewerten geben vergeben einstufen"
    " porque pues ya y pero aqui hoy pois e mas aqui hoje γιατι επειδη και αλλα εδω σημερα"
)
# Units that may sit between a score and what follows it ("4 of 5 possible points, because").
SCORE_UNITS = (
    "points point pts pt stars star possible punkte punkten sterne sternen moglichen etoiles possibles"
    " puntos estrellas posibles pontos estrelas possiveis βαθμουσ βαθμοι αστερια"
)
# After a number in Chinese, Japanese or Korean text, a score goes on with one of these.
CJK_FOLLOW = "分 点 점 半 で と を は が に 이 입 으 로 을 를 은 는 가 에 만 정도 の評価 という"
# Said of a dimension, these mean "no score" ("Reflection: not assessed").
NOT_SCORED = (
    r"n/a|\bnot\b|\bnone\b|\bno (?:evidence|score|rating|evaluad|aplica)|\bnicht\b|\bkeine?\b|\bnon\b|\bpas\b|\bsin\b"
    r"|\bnao\b|\bsem\b|\bδεν\b"
    r"|\bχωρισ\b|未评|未評|无法|無法|なし|評価できない|없음|불가|않"
)
# Phrases that state the scale of every score in the report.
SCALE_10 = (
    r"(?:scale|skala|echelle|escala|κλιμακα)[^.\n]{0,25}?\b[01]\s*(?:-|–|to|bis|a|εωσ|~)\s*10(?!\d)"
    r"|\b[01]\s*(?:-|–|to)\s*10\s*(?:scale|point)|\(\s*[01]\s*[-–]\s*10\s*\)|\b10-point scale"
    r"|(?:scor|rat(?:e|ed|es|ing)\b|grad|calific|puntu|not(?:e|ons?)\b|bewert|evalu|avali|βαθμολογ)[^.\n]{0,40}?"
    r"(?:out of|/|sobre|sur|von|auf|em|στα|στο)\s*10\b(?!\s*(?!rather|instead|to\b|for\b|so\b|because|para\b|pour\b|um\b)[a-zα-ω])"
    r"|(?:满分|滿分)\s*(?:10(?!\d)|十分)|(?:10|十)\s*分制|10\s*点満点|10\s*점\s*만점"
)
SCALE_100 = (
    r"(?:scale|skala|echelle|escala|κλιμακα)[^.\n]{0,25}?\b0\s*(?:-|–|to|bis|a|εωσ)\s*100\b"
    r"|\(\s*0\s*[-–]\s*100\s*\)|\b100-point scale|(?:as|in) percentages?|百分制|(?:满分|滿分)\s*100|100\s*(?:分制|点満点|점\s*만점)"
)
# A sentence led by one of these quotes an earlier session's scores ("Last time you scored
# Critical Thinking 3"), unless it compares ("Compared with last time, ...").
PAST = (
    r"\blast (?:time|session|lesson|week|class|round)|\bprevious|\b(?:earlier|prior|past|preceding) (?:session|lesson|round)"
    r"|\bletzte[nms]? (?:mal|sitzung|lektion|woche)|\bvorherige|\bvorigen?\b|\bzuletzt|derniere (?:fois|seance|session)"
    r"|(?:seance|session) precedente|ultima (?:vez|sesion|sessao)|(?:sesion|sessao) (?:anterior|pasada|passada)"
    r"|vez pas[as]ada|\banteriormente|προηγουμεν|τελευταια (?:φορα|συνεδρια)|περασμεν"
    r"|上次|上一节|上节|上一次|上一堂|前一节|之前|前回|前のセッション|지난|이전|저번|직전"
)
COMPARED = (
    r"\bcompar|\bthan\b|\bsince\b|\bunlike\b|\bvs\b|\bversus\b|\bup from|\bdown from|vergleich|gegenuber|\bseit\b"
    r"|par rapport|\bdepuis\b|contrairement|comparacion|comparacao|respecto|\bdesde\b|a diferencia|em relacao"
    r"|σε σχεση|συγκρισ|相比|比起|比较|比較|对比|対比|以来|と比べ|比べ|より|에 비해|보다|대비|비교"
)
# A rubric says what a level means; its numbers are not scores: "a 4 here means you test
# claims unprompted", "to reach 3 you need ...", "4分意味着", "5점을 받으려면".
RUBRIC_BEFORE = (
    r"(?:\bto (?:reach|get(?: to)?|earn|score|hit|achieve|move(?: up)? to|go(?: up)? to|climb to|land)|\breaching"
    r"|\bum eine?n?|pour (?:atteindre|obtenir|avoir|passer a|arriver a)"
    r"|para (?:llegar a|obtener|alcanzar|conseguir|chegar a|atingir|obter|subir a)|για να (?:φτασεισ|παρεισ)"
    r"|要达到|要拿到|要得到|想拿到|想得到|若要|要想)\s*(?:a|an|un|una|um|uma|το)?\s*$"
)
RUBRIC_AFTER = (
    r"\s*(?:/\s*(?:5|10)\b\s*)?(?:points?\s+)?(?:here\s+|then\s+|usually\s+|typically\s+|on this (?:scale|rubric)\s+)?"
    r"(?:means?\b|meant\b|would (?:mean|require|need|look like|be (?:for|when))|requires?\b|indicates?\b|signifies"
    r"|stands for|describes|represents|corresponds|looks like|calls for|is (?:when|for|reserved|given when|what)\b"
    r"|\s+you(?:'d| would| will|'ll)? (?:need|have)\b"
    r"|bedeutet|heisst|erfordert|verlangt|setzt voraus|steht fur|\s+(?:brauchst|musst|solltest) du|zu erreichen"
    r"|signifie|veut dire|exige|demande|correspond|necessite|\s+il (?:te )?faut|\s+tu dois"
    r"|significa|quiere decir|requiere|implica|\s+(?:necesitas|tienes que|precisas|voce precisa|e preciso|hace falta)"
    r"|σημαινει|απαιτει|αντιστοιχει|\s+χρειαζεσαι"
    r"|[分点점]?\s*(?:意味|表示|代表|需要|要求|的标准|则需|を(?:取|と)るには|になるには)"
    r"|[分点점]?(?:は|은|는|이란)[^.。!?\n]{0,40}?(?:意味|뜻|의미|必要)|점?(?:을|를)\s*받(?:으려면|기 위해))"
)
# Reworded labels ("**Splitting the question up:** 3/5"): word stems that tie a label to a
# dimension, matched at the start of a word. A label is read only with an explicit rating
# after it (3/5, ★★★☆☆, 4分), never a bare number, and not when it counts something.
LABEL_STEMS = {
    "question_decomposition": r"decompo|descompo|zerleg|aufteil|teilfrage|split|break(?:ing|s)?\b|breakdown|divid|divis"
                              r"|chunk|sub-?question|sous-question|subpregunta|subpergunta|decoup|desglos|αποσυν|διασπ|αποδομ|επιμερ|分解|拆|分け|切り分|分割"
                              r"|쪼개|나누|분해",
    "critical_thinking": r"critic|critiq|kritisch|κριτικ|批判|审辩|비판|claim|assumption|skeptic|sceptic|scrutin|hinterfrag"
                         r"|behauptung|affirmation|afirmac|suposic|ισχυρισμ|质疑|検証|疑う|의심",
    "connection_making": r"connect|connex|conex|link|relat(?:e\b|es\b|ing|ion)|relier|relacion|relaco|ligac|ligar|verknupf|querverbind|συσχετ"
                         r"|verbind|vernetz|zusammenh|in beziehung|lien|tying|ties|tie together|bridg|συνδ|联系|关联|關聯|連結|結びつ|串起|串联"
                         r"|つなが|関連|接続|연결|연관|잇기",
    "conceptual_understanding": r"understand|comprehen|comprens|compreens|grasp|master|verstand|begreif|entend|κατανο"
                                r"|conceptu|konzeptu|conceit|εννοιολογ|理解|이해",
    "reflection_quality": r"reflect|reflex|metacogn|metakogn|self-assess|self assess|looking back|look back|ruckblick"
                          r"|retrospe|nachdenken|lernprozess|own learning|your learning|retour sur|αναστοχ|反思|振り返|内省"
                          r"|省察|성찰|돌아보|회고",
}
CONCEPT_STEM = r"concept|konzept|notion|conceito|εννοι|概念|개념"  # names understanding when nothing else is named
COUNT_LABEL = (
    r"[a-z]{3,}ed\b|\b(?:understood|made|done|found|got|written|taken|seen|known|given)\b|prompts|examples|exercises"
    r"|items|tasks|quiz|tests?\b|exam|check|problems|answers|times\b|count|number"
    r"|confiden|difficult|interest|engagement|effort|pace|selbstvertrauen|schwierig|confiance|difficulte|confianza|dificultad"
    r"|confianca|dificuldade|αυτοπεποιθ|δυσκολ|自信|信心|难度|難易|자신감|난이도"
    r"|anzahl|beantwortet|gestellt|behandelt|abgedeckt|nombre|numero|respondid|abord|couvert|traite|tratad|cubiert"
    r"|αριθμ|数|次数|正解|正答|개수|횟수|정답"
)
# In a paragraph's rating sentence, these make the rating the session's or a quiz's, not the
# dimension's; the back-references make it the dimension's again ("综合来看，这一项我会给3分").
WHOLE = (
    r"\b(?:session|sessions|lesson|today|overall|all|everything|heute|diesmal|sitzung|insgesamt|alles|seance|aujourd"
    r"|tout|sesion|hoy|todo|sessao|hoje|tudo|συνεδρια|σημερα|quiz|test|tests|exam|exercise|exercises|examples"
    r"|ubung|exercice|ejercicio|prueba|teste|τεστ)\b|本次|这次|這次|今天|今回|今日|이번|오늘|整体|全体|测验|测试|练习|テスト|퀴즈|시험"
)
BACK_REFERENCE = r"\bthis (?:dimension|area|skill|one)\b|这一项|这项|此项|这方面|この(?:項目|観点)|이 (?:항목|부분)"
# Words after a score that keep it a score: "That's a 3 out of 5 from me."
FOLLOW_PHRASE = (r"\s*(?:from me|von mir|de ma part|de mi parte|da minha parte|απο μενα|as well|feels (?:right|fair)|for (?:that|this|it)"
                 r"|seems (?:right|fair)|me semble|me parece|scheint mir)\b")

# A sentence's opening that sums up what came before: "Overall, I'd place this at a 3."; not
# a label ("Overall: 4/5").
SUMMING_UP = (r"\s*(?:overall|all in all|on balance|in sum|insgesamt|alles in allem|globalement|dans l'ensemble|en general"
              r"|en conjunto|no geral|em geral|συνολικα|总体(?:来看|而言)?|综合来看|全体として|전반적으로)[,，、]?\s*+(?![\d*_:：])")
# A sentence or heading that replaces earlier scores: "Revising: Critical Thinking 3.5", "## Final scores";
# and verbs that do it anywhere in a sentence: "I revise Reflection Quality down to 2".
REVISION = (r"[\s>*_#-]*(?:revis|final|updated|corrected|adjusted|on reflection|endgultig|korrigiert|definitiv|rectifi"
            r"|corrig|τελικ|αναθεωρ|最终|最終|修正|수정|최종)")
REVISE = r"\b(?:i revise|revising|revised|i(?:'m| am| will|'ll) (?:revise|lower|raise|adjust|change)|korrigiere|je revois|je corrige|corrijo|reviso|αναθεωρω)\b"
# A lead-in to scores that are not this session's: "Not re-assessed this session (for reference only):".
NOT_THIS_SESSION = (r"\bnot (?:re-?)?(?:assess|scor|grad|rat|evaluat)|for reference|nicht (?:neu )?bewertet|zur orientierung"
                    r"|pour rappel|a titre indicatif|non (?:reevalue|evalue|note)|como referencia|para referencia|sin evaluar"
                    r"|nao (?:re)?avaliad|参考|참고")
# A lead-in to the learner's own ratings, not the grader's: "the learner rated themselves as follows:".
SELF_RATED = (r"rated (?:themselves|himself|herself|yourself)|self-ratings?|(?:their|your|his|her) own ratings?"
              r"|selbst (?:bewertet|eingeschatzt)|s'est (?:attribue|note)|se (?:califico|puntuo|autoevaluo)|se autoavaliou"
              r"|自评|自己採点|스스로 매긴")
# A report that declares it gives no scores this time: then only a score marked as today's counts.
NO_SCORES = (
    r"\bno new scores|not assigning (?:any )?new scores|not (?:assigning|giving|awarding) (?:any )?scores (?:for this session|today|yet)"
    r"|(?:left|leave|leaving) all (?:five|5) (?:dimensions )?(?:ungraded|unscored)|no se asignaron puntuaciones"
    r"|sin puntuaciones nuevas|aucune note n'(?:est|a ete) attribuee|keine (?:neuen )?(?:punkte|bewertungen|noten) (?:vergeben|erteilt)"
    r"|eine bewertung erfolgt (?:noch )?nicht|nao (?:foram )?atribuid[ao]s (?:novas )?(?:notas|pontuacoes)"
    r"|can(?:'t|not) grade this session|no he puntuado las cinco|bewertung[^.\n]{0,60}nicht vorgenommen|採点を見送|評価を見送"
)
# Keys of parsed data that hold a score inside a dimension's object.
SCORE_KEYS = ("score value rating punkte note current points wert valeur valor nota puntuacion pontuacao βαθμολογια βαθμοσ"
              " 分数 得分 评分 分數 評分 スコア 点数 評価 점수 평가")
# "I'd give you a 4 for critical thinking": the words between a score and the name it is for.
BEFORE_NAME = "for on in at fur bei im pour en sur para em no na για στην στη στο σε"
ARTICLES = ("your the deine deinen deinem dein die das den dem ta ton votre vos la le l tu su el los las o a teu tua seu"
            " sua do da την τη το σου")


# --- the words above as matchers, folded like the text they are compared with -------

def words(text: str) -> list[str]:
    return [fold(w) for w in text.split()]


def alternation(items: list[str]) -> str:
    return "|".join(sorted({re.escape(w) for w in items}, key=len, reverse=True))


ALIAS_OF: dict[str, tuple[str, bool]] = {}  # folded name -> (dimension, names it anywhere in a sentence)
for _strong, _table in ((True, ALIASES), (False, LABEL_ALIASES)):
    for _dimension, _aliases in _table.items():
        for _alias in _aliases:
            _spelt = fold(_alias.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))  # verknuepfung
            for _form in {fold(_alias), fold(_alias).replace("-", " "), _spelt}:
                ALIAS_OF.setdefault(_form, (_dimension, _strong))
# Extended to the end of its word, so that "Verknüpfungen" is one name, not "Verknüpfung" + "en".
# The lookahead on first letters lets the scan skip most positions: ten times faster on long texts.
# A name may go on with what it is about: "Vernetzung von Ideen", "mise en relation des notions", "问题拆解能力".
_COMPLEMENT = (r"(?:(?:\s+(?:of|von|der|des|de|du|da|do|das|dos|entre|between|zwischen|σε|των|του|της)"
               r"(?:\s+(?:the|les|la|las|los|os|as|die|den))?)?\s*(?:ideas|ideen|idees|ideias|ιδεων|notions|concepts|konzepte"
               r"|begriffe|conceptos|conceitos|εννοιων|parts|teile|parties|partes|μερη|能力|능력)(?![a-zα-ω]))?")
ALIAS_RE = re.compile(rf"(?=[{''.join(sorted({re.escape(a[0]) for a in ALIAS_OF}))}])(?<![a-zα-ω])"
                      rf"({alternation(list(ALIAS_OF))})[a-zα-ω]*{_COMPLEMENT}")
FILLER, VERBS, FOLLOW = set(words(FILLER_WORDS)), set(words(SCORE_VERBS)), set(words(FOLLOW_WORDS))
UNITS_AFTER, CJK_AFTER, KEYS = set(words(SCORE_UNITS)), tuple(words(CJK_FOLLOW)), set(words(SCORE_KEYS))
CJK_FILLER_RE = re.compile(f"(?:{alternation(words(CJK_FILLER + ' ' + CJK_VERBS))})+")
CJK_VERB_RE = re.compile(alternation(words(CJK_VERBS)))
SCORE_WORD_RE, NOT_SCORED_RE = re.compile(SCORE_WORDS), re.compile(NOT_SCORED)
OVERALL_RE = re.compile(OVERALL_WORDS + r"|\btotal\b|\bsumme\b|总分|合計")
ROLE_RE = {role: re.compile(pattern) for role, pattern in ROLES.items()}
NOW_RE = re.compile(NOW)

NUMBER_OF = {fold(w): float(n) for n, ws in NUMBER_WORDS.items() for w in ws.split()}
NUMBER_OF.update({fold(w): v for w, v in HALF_COMPOUNDS.items()})
OUT_OF_RE = alternation(words(OUT_OF)).replace("\\ ", r"\s+")  # "3.5 out\nof 5": wrapped lines
_context_only = words(CONTEXT_ONLY)
_half = "|".join(re.escape(fold(h)).replace("\\ ", r"\s+") for h in HALF_AFTER)
_point_five = rf"\s+(?:{alternation(words(POINT_FIVE))})\s+(?:5|five|funf|cinq|cinco|πεντε)"
NUMBER_WORD_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<word>{alternation([w for w in NUMBER_OF if w not in _context_only])})"
    rf"|(?P<ctx>{alternation(_context_only)})(?=\s*(?:{_half})|{_point_five}|\s+(?:{OUT_OF_RE})\s+(?:\d|{alternation(list(NUMBER_OF))}))"
    rf"|(?P<digit>\d+)(?=\s*(?:{_half})|{_point_five}))(?P<half>\s*(?:{_half})|{_point_five})?(?![\w])")
CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Chinese and Japanese numerals only right before 分/点 ("三分半", "五点満点中四点"); "十分" is "very".
CJK_DECIMAL_RE = re.compile(r"([零〇一二两兩三四五六七八九])点([五])(?=分)")  # "三点五分" is 3.5
# Korean native numerals before 점 ("다섯 점 중 세 점 반" is 3.5 of 5).
KO_DIGITS = {"영": 0, "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
KO_NUMBER_RE = re.compile(r"(?<![가-힣])(영|한|두|세|네|다섯)\s*점(\s*반)?")
CJK_NUMBER_RE = re.compile(r"(满分|滿分|満点)十|十(?=点満点|分制)|([零〇一二两兩三四五六七八九])(?=[分点])")
# Session and knowledge-point ids, dates, years, times, durations, counts, sizes, model names.
DISTRACTORS_RE = re.compile(
    rf"(?<![a-z])s\d+(?:\.\d+)+|(?<![a-zα-ω])(?:{alternation(words(ITEM_WORDS))})\s*#?\s*\d+(?:\.\d+)*|#\d+"
    r"|\d{4}-\d{2}-\d{2}|(?<!\d)\d{1,2}([./])\d{1,2}\1\d{2,4}(?!\d)|(?<![\d.])(?<!\d,)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}:\d{2}(?!\d)"
    rf"|(?<![\d.])(?<!\d,)\d+(?:[.,]\d+)?\s*(?:{alternation(words(UNIT_WORDS))})(?![a-zα-ω])|(?<![a-z])[a-z]+-?\d+[a-z\d]*")
_before_name = rf"(?:{alternation(words(BEFORE_NAME))})\s+(?:(?:{alternation(words(ARTICLES))})(?:\s+|'))?[\s*_]*$"
BOUND_RE, BEFORE_NAME_RE = re.compile(rf"[\s*_]*{_before_name}"), re.compile(rf"\s{_before_name}")

# Short keys of parsed data, when most keys of one object are among them: {"QD": 4, "CT": 3, ...}.
SHORT_KEYS = {
    "question_decomposition": "qd decomp decomposition decomposicion decomposicao zerlegung 分解 분해 질문분해",
    "critical_thinking": "ct critical critique esprit_critique kritisch critico 批判 비판적사고 비판",
    "connection_making": "cm connections connection links liens conexiones conexoes verknupfung 联系 연결 つながり",
    "conceptual_understanding": "cu understanding conceptual comprehension comprension compreensao verstandnis 理解 개념이해 이해",
    "reflection_quality": "rq reflection reflexion reflexao reflexionsqualitat 反思 성찰 振り返り",
}
SHORT_KEY_OF = {fold(k).replace("_", " "): d for d, keys in SHORT_KEYS.items() for k in keys.split()}
# Keys of parsed data, folded.
SCORES_KEYS = ("scores", "score", "ratings", "bewertungen", "punktzahlen")
EVIDENCE_KEYS = ("evidence", "justification", "reason", "reasons", "belege", "begrundung", "justificativa", "justificacion",
                 "理由", "依据", "根拠", "근거", "이유", "αιτιολογηση")
SCALE_KEYS = ("scale", "max", "out of", "max score")
# A session id in a column or row label: "s1.2", "Sitzung 1.4", "第2.1节", "セッション1.5".
SESSION_RE = re.compile(r"(?:\bs|session|sitzung|seance|sesion|sessao|συνεδρια|第|セッション|세션)\s*(\d+(?:\.\d+)*)")
HEADER_10, HEADER_100 = r"/\s*10\b|out of 10|\b[01]\s*[-–]\s*10\b|\(10\)", r"%|/\s*100|\b0\s*[-–]\s*100\b"

# How a score is written, most specific first (at one position the first alternative that
# fits wins): stars, "5点満点中4点", "满分5分，得4分", "4分（满分5分）", "4/5", "4 von 5",
# "80%", "4 points", "4分", and a bare number.
_N = r"(?<![\d.])(?<!\d,)\d+(?:[.,]\d+)?"
SCORE_RE = re.compile(
    r"(?P<stars>[★⭐✪]+(?:\s*\.5)?\s*[☆✩]*)"
    rf"|(?P<fm>5|10|100)\s*(?:点満点(?:中|て|のうち)?|点中|分中(?:得|获得|拿到|得到)?|分制|段階(?:中|て|評価て)?|점\s*만점\s*(?:에서|에|중|기준)?|점\s*중)\s*(?P<fn>{_N})"
    r"\s*(?:点|分|점)?"  # "て" is "で" folded
    rf"|(?:满分|滿分|満点)\s*(?P<gm>5|10|100)\s*[分点]?\s*[,，;；:：\s]*(?:我|你)?(?:可以|会)?(?:得分?|给你|给|打|中){{0,2}}"
    rf"\s*(?P<gn>{_N})\s*[分点]?"
    rf"|(?P<hn>{_N})\s*[分点]\s*[(（]\s*(?:满分|滿分|満点)\s*(?P<hm>5|10|100)\s*[分点]?\s*[)）]"
    rf"|(?P<on>{_N})\s*(?:(?:points?|pts?|punkte?n?|puntos|pontos|점|分|点)\s*)?(?:/|(?:{OUT_OF_RE})(?!\w))\s*"
    r"(?P<om>5|10|20|100)(?:[.,]0+)?(?![\d]|[.,]\d)"
    rf"|(?P<pn>{_N})\s*%|(?P<un>{_N})\s*(?:points?|pts?|punkte?n?|puntos?|pontos?|βαθμ[α-ω]*|分|点|점)(?P<uhalf>半)?"
    rf"|(?P<bn>{_N})")
CLAUSE_END_RE = re.compile(r"[;；:：。！？!?，、]|\.(?=\s|$)|\s[—–-]\s|—")
_arrow = r"(?:→|->|=>|⟶|➔|➜)"
OLD_VALUE_RE = re.compile(rf"^[\s*_`:：=|—–-]*{_N}(?:\s*/\s*(?:5|10|100))?\s*{_arrow}(?=\s*[\d★⭐])")  # "3 → 4"
# After a number, these make it not a score: "3-gram", "3-4", "3 or 4", "3 → 4".
NOT_AFTER_RE = re.compile(rf"[%/\d]|-[a-zα-ω]|[.,]\d|\s*(?:-|–|to|bis|a|or|oder|ou|o)\s*\d|\s*{_arrow}\s*[\d★⭐]"
                          r"|\s*(?:만점|満点|满分|滿分)")  # "5점 만점에": the scale
# Where a name is a label: at the start of a line (after list marks and numbering), or
# after another dimension's score ("Question Decomposition 3/5, Critical Thinking 4/5").
_ABILITY = (r"(?:(?:capacidade|capacidad|capacite|fahigkeit|ability|capacity|ικανοτητα)\s+(?:de|a|zur|zum|zu|to|for|of|για)"
            r"\s+(?:faire\s+des\s+|hacer\s+|fazer\s+)?)?")  # "Capacidade de conexão — 8,8"
LABEL_LEAD_RE = re.compile(r"(?:[^\w★⭐✪☆✩]|_)*(?:\d{1,2}[.)](?!\d)\s*|[一二三四五六七八九十]{1,2}[、.]\s*)?[\s*_#\"'`\[(]*"
                           + _ABILITY)
AFTER_VALUE_RE = re.compile(r"[,;|·•、，；/:—–]\s*(?:and\s+|und\s+|et\s+|y\s+|e\s+)?[\s*_\"']*$")

# A heading over the session's figure, not one dimension's.
OVERALL_HEADING_RE = re.compile(r"overall|total|gesamt|insgesamt|global|συνολικ|总体|总评|综合|総合|総評|全体|종합|총평")
# A knowledge point's id: a rating in the same sentence is that knowledge point's.
KP_RE = re.compile(r"\b(?:kps?|knowledge points?|wissenspunkt|wp|points? de connaissance|puntos? de conocimiento|pc"
                   r"|pontos? de conhecimento|σημειο)\s*#?\s*\d|知识点\s*\d|知識点\s*\d|지식\s*포인트\s*\d")
# Labels that are not a dimension's, and headings whose paragraphs rate no dimension.
NOT_LABEL_RE = re.compile("|".join([fold(COUNT_LABEL), ROLES["previous"], ROLES["target"], ROLES["change"], NOT_SCORED,
                                    OVERALL_RE.pattern]))
NOT_PROSE_HEADING_RE = re.compile("|".join([
    rf"^[\s#>*_-]*(?:\d{{1,2}}[.)]\s*)?[\s*_]*(?:{OVERALL_HEADING_RE.pattern})", ROLES["previous"], ROLES["target"],
    ROLES["change"], KP_RE.pattern, ALIAS_RE.pattern]))
# Folded like the text (these patterns hold no upper-case escapes): "つなが" becomes "つなか".
(PAST_RE, COMPARED_RE, WHOLE_RE, BACK_REFERENCE_RE, RUBRIC_BEFORE_RE, RUBRIC_AFTER_RE, FOLLOW_PHRASE_RE, COUNT_LABEL_RE,
 SUMMING_UP_RE, REVISION_RE, REVISE_RE, SELF_RATED_RE, NO_SCORES_RE, NOT_THIS_SESSION_RE) = (re.compile(fold(p)) for p in (
    PAST, COMPARED, WHOLE, BACK_REFERENCE, RUBRIC_BEFORE, RUBRIC_AFTER, FOLLOW_PHRASE, COUNT_LABEL, SUMMING_UP, REVISION, REVISE,
    SELF_RATED, NO_SCORES, NOT_THIS_SESSION))
WHOLE_OR_OVERALL_RE = re.compile(f"{WHOLE_RE.pattern}|{OVERALL_RE.pattern}")
LABEL_STEM_RE = {d: re.compile(rf"(?<![a-zα-ω])(?:{fold(p)})") for d, p in LABEL_STEMS.items()}
CONCEPT_STEM_RE = re.compile(rf"(?<![a-zα-ω])(?:{fold(CONCEPT_STEM)})")
# A line that is a label and what follows it: "**Splitting the question up:** 3/5", "- Pensamento crítico ★★★☆☆".
LABEL_LINE_RE = re.compile(
    r"\s*(?:[>+•·]\s*|[-*]\s+)*(?:#{1,6}\s*)?(?:\d{1,2}[.)]\s*)?(?:(?:\*\*|__)(?P<bold>[^*_\n:：]{2,80}?)(?:\*\*|__|(?=[:：]))"
    r"|(?P<plain>[^:：*|\n★⭐✪.!?;。(]{2,80}?)\s*(?=[:：]|\s[—–-]\s|[—–★⭐✪]|\((?=\s*\d))"
    r"|(?P<topic>[^\n:：*|。、，,.!?]{2,30}?)(?:は|が|も|은|는|도)(?=\s*\d))[\s:：—–(-]*(?P<rest>.*)")  # "つながりを見つける力は3点"

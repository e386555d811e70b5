"""A minimal client for an OpenAI-compatible chat-completions endpoint (off unless configured).

Standard library only: one POST to ``{KNOWLEDGE_LLM_BASE_URL}/chat/completions``.
The prompt gives the model the retrieved sections and asks it to answer from
them only; the assistant checks the answer anyway.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 30
SYSTEM_PROMPT = (
    "คุณเป็นผู้ช่วยด้านกฎหมายของสถาบันพัฒนาองค์กรชุมชน (พอช.) ตอบเป็นภาษาไทยสั้น ๆ "
    "โดยใช้เฉพาะข้อความในมาตราที่ให้มาเท่านั้น และอ้างชื่อพระราชบัญญัติและมาตราทุกครั้ง "
    "ถ้ามาตราที่ให้มาไม่ตอบคำถาม ให้ตอบว่าไม่พบ"
)


class LLMError(Exception):
    pass


def complete(question: str, sections: list[tuple[str, str]]) -> str:
    base = str(getattr(settings, "KNOWLEDGE_LLM_BASE_URL", "")).rstrip("/")
    if not base:
        raise LLMError("no endpoint configured")
    if not base.startswith(("http://", "https://")):
        raise LLMError("the endpoint must be an http(s) URL")
    context = "\n\n".join(f"[{label}]\n{text}" for label, text in sections)
    body = {
        "model": getattr(settings, "KNOWLEDGE_LLM_MODEL", "") or "default",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"มาตราที่เกี่ยวข้อง:\n{context}\n\nคำถาม: {question}"},
        ],
    }
    headers = {"Content-Type": "application/json"}
    if key := getattr(settings, "KNOWLEDGE_LLM_API_KEY", ""):
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        f"{base}/chat/completions", data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            payload = json.loads(response.read().decode("utf-8"))
        return str(payload["choices"][0]["message"]["content"])
    except (urllib.error.URLError, TimeoutError, KeyError, IndexError, ValueError) as error:
        raise LLMError(str(error)) from error

"""Articles and hand-made records for the batch, sink, PostgreSQL and Dask tests (our own sentences).

The records are built by hand (not by the pipeline), so the database tests assert exact values
whatever the recognizers do; `articles()` gives raw inputs for the end-to-end runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractor.models import ArticleResult

TEMPLATES = [
    "{org}年产{cap}万吨锂电池正极材料项目总投资{money}亿元，计划{year}年{month}月开工，建成后可提供就业岗位{jobs}个。",
    "{year}年{month}月，{org}{place}智能装备产业园项目签约，项目计划投资{money}亿元，达产后年产值{cap}亿元，带动就业{jobs}人。",
    "记者从{place}获悉，{org}年处理{cap}万吨固废综合利用项目预计{year}年底投产，总投资约{money}亿元，新增就业岗位{jobs}个。",
]
ORGS = ["华川新能源科技有限公司", "景岳材料集团", "北辰装备股份有限公司", "青禾环保科技有限公司"]
PLACES = ["临江市", "云溪县", "石门经济开发区", "东湖新区"]


def articles(n: int, prefix: str = "t") -> list[dict[str, Any]]:
    """`n` distinct articles of two or three sentences, ids `<prefix>0001`, ..."""
    out = []
    for i in range(n):
        parts = []
        for k in range(2 + i % 2):
            t = TEMPLATES[(i + k) % len(TEMPLATES)]
            parts.append(t.format(org=ORGS[(i + k) % len(ORGS)], place=PLACES[(i * 3 + k) % len(PLACES)],
                                  cap=5 + (i * 7 + k) % 40, money=1 + (i * 13 + k) % 30, year=2023 + (i + k) % 3,
                                  month=1 + (i * 5 + k) % 12, jobs=100 + 50 * ((i + k) % 17)))
        out.append({"id": f"{prefix}{i:04d}", "text": "\n".join(parts), "published": "2023-05-10",
                    "source": "test"})
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _mention(text: str, surface: str, label: str, **fields: Any) -> dict[str, Any]:
    start = text.index(surface)
    return {"label": label, "start": start, "end": start + len(surface), "text": surface,
            "rule": f"test-{label.lower()}", **fields}


def record(aid: str, text: str, project: str, org: str, place: str, money: tuple[str, float],
           jobs: tuple[str, int], date: tuple[str, str, str]) -> tuple[str, dict[str, Any]]:
    """(text, record) of one project article: ORG, PROJECT, MONEY, JOBS and DATE mentions and facts."""
    m = [
        _mention(text, org, "ORG", value=org),
        _mention(text, project, "PROJECT", value=project),
        _mention(text, money[0], "MONEY", value=money[1], unit="CNY", kind="investment_total",
                 qualifier="exact"),
        _mention(text, date[0], "DATE", value=date[1], kind=date[2]),
        _mention(text, jobs[0], "JOBS", value=jobs[1], qualifier="exact"),
    ]
    m.sort(key=lambda x: (x["start"], -x["end"]))
    index = {x["label"]: i for i, x in enumerate(m)}
    facts = [{"label": lb, "value": m[index[lb]]["value"], "mentions": [index[lb]],
              **{k: m[index[lb]][k] for k in ("unit", "kind", "qualifier") if k in m[index[lb]]}}
             for lb in ("MONEY", "DATE", "JOBS")]
    rec = {"article_id": aid, "source": "test", "published": "2023-05-10", "mentions": m,
           "projects": [{"name": project, "aliases": [], "company": org, "location": place, "facts": facts}]}
    ArticleResult.model_validate(rec, context={"text": text})  # the records are valid by construction
    return text, rec


def records() -> list[tuple[str, dict[str, Any]]]:
    """Three articles: two projects in 临江市, one in 云溪县; one project appears in two articles."""
    a = "华川新能源科技有限公司锂电池正极材料项目总投资16亿元，计划2024年3月投产，建成后可提供就业岗位600个。"
    b = "景岳材料集团云溪县特种纤维项目计划投资8.5亿元，2024年6月投产，带动就业300人。"
    c = "北辰装备股份有限公司智能装备产业园项目总投资12亿元，预计2024年3月投产，新增就业岗位450个。"
    return [
        record("r1", a, "华川新能源科技有限公司锂电池正极材料项目", "华川新能源科技有限公司", "临江市",
               ("16亿元", 1.6e9), ("600个", 600), ("2024年3月", "2024-03", "operation")),
        record("r2", b, "景岳材料集团云溪县特种纤维项目", "景岳材料集团", "云溪县",
               ("8.5亿元", 8.5e8), ("300人", 300), ("2024年6月", "2024-06", "operation")),
        record("r3", c, "北辰装备股份有限公司智能装备产业园项目", "北辰装备股份有限公司", "临江市",
               ("12亿元", 1.2e9), ("450个", 450), ("2024年3月", "2024-03", "operation")),
    ]


def record_lines(recs: list[tuple[str, dict[str, Any]]] | None = None) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for _, r in (recs or records())]


#: The README's example queries (section "Example queries"): the same SQL runs on SQLite and PostgreSQL.
QUERIES = {
    "largest projects by total investment": """
SELECT p.name, MAX(f.value_num) AS investment_cny, COUNT(DISTINCT p.article_id) AS articles
FROM projects p JOIN facts f ON f.article_id = p.article_id AND f.project_idx = p.project_idx
WHERE f.label = 'MONEY' AND f.kind = 'investment_total' AND f.unit = 'CNY'
GROUP BY p.name
ORDER BY investment_cny DESC, p.name
LIMIT 10""",
    "jobs by place": """
SELECT COALESCE(p.location, '(unknown)') AS place, SUM(f.value_num) AS jobs, COUNT(*) AS projects
FROM projects p JOIN facts f ON f.article_id = p.article_id AND f.project_idx = p.project_idx
WHERE f.label = 'JOBS'
GROUP BY COALESCE(p.location, '(unknown)')
ORDER BY jobs DESC, place""",
    "projects starting production by month": """
SELECT substr(f.value_text, 1, 7) AS month, COUNT(DISTINCT p.name) AS projects
FROM projects p JOIN facts f ON f.article_id = p.article_id AND f.project_idx = p.project_idx
WHERE f.label = 'DATE' AND f.kind = 'operation' AND f.value_text NOT LIKE 'XXXX%'
  AND length(f.value_text) >= 7 AND substr(f.value_text, 6, 1) IN ('0', '1')
GROUP BY substr(f.value_text, 1, 7)
ORDER BY month""",
}

#: what QUERIES give on `records()`
EXPECTED = {
    "largest projects by total investment": [
        ("华川新能源科技有限公司锂电池正极材料项目", 1.6e9, 1),
        ("北辰装备股份有限公司智能装备产业园项目", 1.2e9, 1),
        ("景岳材料集团云溪县特种纤维项目", 8.5e8, 1)],
    "jobs by place": [("临江市", 1050, 2), ("云溪县", 300, 1)],
    "projects starting production by month": [("2024-03", 2), ("2024-06", 1)],
}

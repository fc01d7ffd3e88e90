"""Fixtures for the WeCom tests: one real desk over a real store (the example speech and a document with
many tasks, the packaged model) and the fake WeCom, per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.desk import Desk
from bot.engine import Engine
from tests.conftest import EXAMPLE_SPEECH
from tests.wecom.fake_wecom import FakeWeCom
from tests.wecom.harness import AES_KEY, AGENT_ID, CORP_ID, SECRET, TOKEN, wecom_settings
from vectorstore.embeddings import EmbeddingModel

# A unit with more tasks than one WeCom message holds once listed with their sources.
MANY_TASKS_UNIT = "县教育局"
MANY_TASKS = "\n".join(
    f"{number}、第{number}项教育工作\n由县教育局牵头，各乡镇配合，全面推进第{number}批农村学校标准化建设、"
    f"师资队伍培训和校舍安全隐患排查整治工作，确保按期完成各项建设任务和整改任务。"
    for number in "一二三四五六七八九十"
)


@pytest.fixture(scope="module")
def wecom() -> Iterator[FakeWeCom]:
    """The fake WeCom platform, serving its API on loopback."""
    with FakeWeCom(CORP_ID, SECRET, AGENT_ID, TOKEN, AES_KEY) as fake:
        yield fake


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wecom-data")


@pytest.fixture(scope="module")
def desk(data_dir: Path, wecom: FakeWeCom, embedding_model: EmbeddingModel) -> Iterator[Desk]:
    """A real desk with the example speech and the many-tasks document ingested."""
    settings = wecom_settings(data_dir, wecom.base_url)
    engine = Engine.open(settings, embedding_model)
    engine.ingest_file(EXAMPLE_SPEECH)
    tasks = data_dir.parent / "education-tasks.txt"
    tasks.write_text("县教育工作部署\n" + MANY_TASKS, encoding="utf-8")
    engine.ingest_file(tasks)
    desk = Desk.open(settings, engine)
    yield desk
    desk.close()

"""Chinese full-text search (第十一条): jieba words stored as " 词 " and found with AND, on SQLite
and PostgreSQL alike — and never an oracle for what the user may not open."""

from __future__ import annotations

import threading

import pytest
from django.db.models import Q

from xianjie.sharing import search
from xianjie.sharing.models import SharedItem
from xianjie.sharing.search import index_text, query_words, search_filter, segment
from xianjie.sharing.selectors.items import shared_item_category_counts, shared_item_list

from .items_fixtures import *  # noqa: F403

pytestmark = pytest.mark.article(11)

#: (text indexed, query that must find it) — queries segmented differently from the text.
FINDS = [
    ("行政执法监督工作要求", "执法监督"),
    ("纪检监察机关移送问题线索", "纪检监察"),
    ("违反《中华人民共和国行政处罚法》第三十九条", "行政处罚"),
    ("对相关责任人严肃问责", "问责"),
    # jieba cuts this 评 / 查问 / 责: the word 问责 is found through its characters.
    ("案卷评查问责情况通报", "问责"),
    ("关于做好2026年度行政执法案卷评查工作的通知", "案卷评查 通知"),
    ("关于做好2026年度行政执法案卷评查工作的通知", "2026年度"),
    ("文水县市场监督管理局法制股", "监督管理"),
    ("县交通运输局超限运输处罚", "交通运输局"),
    ("Word 文档 与 PDF 附件", "pdf"),
    ("全角ＰＤＦ扫描件", "PDF 扫描"),
]
#: (text indexed, query that must not find it).
MISSES = [
    ("行政执法监督工作要求", "纪检监察"),
    ("关于做好2026年度行政执法案卷评查工作的通知", "案卷评查 问责"),
    ("行政执法监督工作要求", "2025"),
    ("执法人员应当接受监督", "执法监督"),
]


def matches(text: str, query: str) -> bool:
    """Evaluate the filter against one indexed text, the way the database's LIKE does."""
    indexed = index_text(text)

    def holds(node: Q) -> bool:
        results = [
            holds(child) if isinstance(child, Q) else child[1] in indexed for child in node.children
        ]
        value = any(results) if node.connector == Q.OR else all(results)
        return not value if node.negated else value

    return holds(search_filter(query))


def test_index_text_is_spaced_lower_cased_and_deduplicated():
    text = index_text("执法监督，执法监督！", "PDF 与 pdf")
    assert text.startswith(" ") and text.endswith(" ")
    words = text.split()
    assert len(words) == len(set(words))
    assert "执法监督" in words and "pdf" in words
    assert not any(word in words for word in ("，", "！", "PDF"))


def test_index_text_of_nothing_is_empty():
    assert index_text("", "，。！") == ""


def test_segment_drops_punctuation_and_single_latin_letters():
    assert segment("a 执法，监督！ b") == ["执法", "监督"]
    assert query_words("？？ ， x") == []


@pytest.mark.parametrize(("text", "query"), FINDS)
def test_a_query_segmented_differently_still_finds_the_text(text, query):
    assert matches(text, query)


@pytest.mark.parametrize(("text", "query"), MISSES)
def test_every_word_of_the_query_must_occur(text, query):
    assert not matches(text, query)


def test_an_empty_query_filters_nothing():
    assert search_filter("") == Q()
    assert search_filter("  ，。 ") == Q()


def test_a_long_query_is_bounded():
    query = " ".join(f"词{n}" for n in range(40))
    assert len(query_words(query)) == search.MAX_QUERY_WORDS


def test_the_tokenizer_loads_once_across_threads(settings, tmp_path):
    search._tokenizer = None
    settings.DATA_DIR = tmp_path
    loaded = []
    threads = [threading.Thread(target=lambda: loaded.append(search.tokenizer())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(t) for t in loaded}) == 1
    # Its dictionary cache went to the data directory, not the current directory.
    assert (tmp_path / "cache" / "jieba.cache").exists()


@pytest.mark.django_db
def test_search_runs_in_the_database_with_and_semantics(make_item, sf_clerk):
    requirement = make_item(title="关于做好行政执法案卷评查工作的通知", body="请按时报送自查报告。")
    supervision = make_item(title="行政执法监督工作要求", body="加强纪检监察机关协作。")
    law = make_item(title="学习新修订的行政处罚法", body="《中华人民共和国行政处罚法》解读。")

    def found(query: str) -> set[int]:
        return {item.pk for item in shared_item_list(sf_clerk, {"q": query})}

    assert found("执法监督") == {supervision.pk}
    assert found("纪检监察") == {supervision.pk}
    assert found("行政处罚") == {law.pk}
    assert found("行政执法") == {requirement.pk, supervision.pk}
    assert found("案卷评查 自查报告") == {requirement.pk}
    assert found("案卷评查 纪检监察") == set()
    assert found("") == {requirement.pk, supervision.pk, law.pk}


@pytest.mark.django_db
def test_search_text_follows_every_edit(make_item, sf_clerk):
    from xianjie.sharing.services.items import shared_item_update

    item = make_item(status="draft", title="原标题", body="原正文")
    shared_item_update(item_id=item.pk, actor=sf_clerk, title="新的案卷评查通知")
    assert SharedItem.objects.filter(search_filter("案卷评查")).get() == item
    assert not SharedItem.objects.filter(search_filter("原标题")).exists()


@pytest.mark.django_db
def test_search_never_reveals_what_the_reader_may_not_open(make_item, sj_clerk, outsider):
    """A tier 2 item to the market regulator only: the education bureau's search and its
    counts behave as if it did not exist; so do drafts and withdrawn items."""
    visible = make_item(title="案卷评查工作通知")
    make_item(tier=2, scope=("sj",), title="案卷评查问责情况通报")
    make_item(status="draft", title="案卷评查草稿")
    make_item(status="withdrawn", title="案卷评查已撤回")
    for query in ("案卷评查", "问责", "草稿", "撤回"):
        results = shared_item_list(outsider, {"q": query})
        wanted = {visible.pk} if query == "案卷评查" else set()
        assert {item.pk for item in results} == wanted
        counts = shared_item_category_counts(outsider, {"q": query})
        assert sum(count for _, _, count in counts) == len(wanted)
    assert shared_item_list(sj_clerk, {"q": "问责"}).count() == 1

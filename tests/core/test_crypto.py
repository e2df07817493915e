import io

import pytest

from xianjie.core import crypto


@pytest.fixture(autouse=True)
def _master_key(tmp_path, settings):
    settings.MASTER_KEY_FILE = str(tmp_path / "master.key")
    settings.DEMO_MODE = True
    crypto._load_master.cache_clear()
    yield
    crypto._load_master.cache_clear()


@pytest.mark.article(11)
@pytest.mark.parametrize("cipher", ["sm4-gcm", "aes-256-gcm"])
def test_field_roundtrip_hides_plaintext(settings, cipher):
    settings.CIPHER = cipher
    key = crypto.new_data_key()
    token = crypto.encrypt_text(key, "王某某 未全过程记录", context="referral:1:facts")
    assert "王某某" not in token
    assert crypto.decrypt_text(key, token, context="referral:1:facts") == "王某某 未全过程记录"


def test_field_bound_to_its_context():
    key = crypto.new_data_key()
    token = crypto.encrypt_text(key, "机密", context="referral:1:facts")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(key, token, context="referral:2:facts")


def test_altered_field_is_detected():
    key = crypto.new_data_key()
    token = crypto.encrypt_text(key, "机密内容", context="c")
    raw = bytearray(crypto.base64.b64decode(token[3:]))
    raw[-1] ^= 1
    forged = "x1:" + crypto.base64.b64encode(bytes(raw)).decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(key, forged, context="c")


def test_data_key_wraps_and_rewraps_under_new_master(tmp_path):
    key = crypto.new_data_key()
    wrapped = crypto.wrap_data_key(key)
    assert crypto.unwrap_data_key(wrapped) == key
    old = crypto.master_key()
    crypto.generate_master_key_file(tmp_path / "new.key")
    new = crypto.MasterKey.from_file(tmp_path / "new.key")
    rewrapped = crypto.rewrap_data_key(wrapped, old, new)
    assert crypto.unwrap_data_key(rewrapped, new) == key
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(rewrapped, old)


def test_missing_master_key_outside_demo_is_refused(settings, tmp_path):
    settings.DEMO_MODE = False
    settings.MASTER_KEY_FILE = str(tmp_path / "absent.key")
    crypto._load_master.cache_clear()
    with pytest.raises(crypto.ImproperlyConfigured):
        crypto.master_key()


@pytest.mark.parametrize("size", [0, 10, crypto.FILE_CHUNK, crypto.FILE_CHUNK * 2 + 7])
def test_file_stream_roundtrip(size):
    key = crypto.new_data_key()
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    out = io.BytesIO()
    assert (
        crypto.encrypt_stream(key, [data[i : i + 5000] for i in range(0, size, 5000)], out) == size
    )
    assert data[:64] not in out.getvalue() or size == 0
    assert b"".join(crypto.decrypt_stream(key, io.BytesIO(out.getvalue()))) == data


def test_truncated_file_is_detected():
    key = crypto.new_data_key()
    out = io.BytesIO()
    crypto.encrypt_stream(key, [b"a" * (crypto.FILE_CHUNK * 2 + 100)], out)
    truncated = out.getvalue()[:-50]
    with pytest.raises(crypto.DecryptionError):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(truncated)))
    # The last chunk dropped whole: the new final chunk was sealed as "not last".
    dropped_last = out.getvalue()[: 13 + 2 * (crypto.FILE_CHUNK + 16)]
    with pytest.raises(crypto.DecryptionError):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(dropped_last)))


def test_blind_index_matches_normalised_value_only():
    a = crypto.blind_index("1411 0012345", purpose="cert_no")
    assert a == crypto.blind_index("14110012345", purpose="cert_no")
    assert a != crypto.blind_index("14110012346", purpose="cert_no")
    assert "14110012345" not in a

//! One contract for the storage port, run against the local directory and
//! against a real S3-compatible server (`moto_server`, which `.ci/run` starts
//! and names in `LYCEUM_TEST_S3_URL`, e.g. `http://127.0.0.1:9000`). Each S3
//! run creates its own bucket.

use crate::s3;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream};
use lyceum_platform::storage::{Storage, StorageError};

fn sample(len: usize) -> Bytes {
    (0..len).map(|i| (i % 251) as u8).collect::<Vec<_>>().into()
}

async fn read_all(storage: &Storage, key: &str, range: Option<std::ops::Range<u64>>) -> (Bytes, std::ops::Range<u64>) {
    read_pinned(storage, key, range, None).await
}

async fn read_pinned(
    storage: &Storage,
    key: &str,
    range: Option<std::ops::Range<u64>>,
    etag: Option<&str>,
) -> (Bytes, std::ops::Range<u64>) {
    let object = storage.stream(key, range, etag).await.expect("stream");
    let chunks: Vec<Bytes> = object.body.try_collect().await.expect("read the stream");
    (chunks.concat().into(), object.range)
}

async fn contract(storage: &Storage) {
    let data = sample(1000);
    let started = jiff::Timestamp::now();
    storage.put_typed("lessons/1/notes.txt", data.clone(), "text/plain").await.unwrap();

    let info = storage.head("lessons/1/notes.txt").await.unwrap();
    assert_eq!(info.size, 1000);
    let etag = info.etag.clone().expect("an etag");
    let age = started.duration_since(info.last_modified).as_secs().abs();
    assert!(age <= 5, "last modified {} is not about now ({started})", info.last_modified);

    assert_eq!(storage.get("lessons/1/notes.txt").await.unwrap(), data);
    assert_eq!(storage.get_range("lessons/1/notes.txt", 10..20).await.unwrap(), data.slice(10..20));
    assert_eq!(read_all(storage, "lessons/1/notes.txt", None).await, (data.clone(), 0..1000));
    assert_eq!(read_all(storage, "lessons/1/notes.txt", Some(990..1000)).await, (data.slice(990..), 990..1000));

    // A read pinned to the version seen by `head` succeeds while that version is there …
    assert_eq!(read_pinned(storage, "lessons/1/notes.txt", Some(0..10), Some(&etag)).await, (data.slice(0..10), 0..10));
    // … and is refused once the object was replaced.
    storage.put("lessons/1/notes.txt", sample(500)).await.unwrap();
    let new = storage.head("lessons/1/notes.txt").await.unwrap();
    assert_eq!(new.size, 500);
    assert_ne!(new.etag.as_deref(), Some(etag.as_str()), "replacing the content changes the etag");
    let stale = storage.stream("lessons/1/notes.txt", Some(0..10), Some(&etag)).await;
    assert!(matches!(stale, Err(StorageError::Changed)), "{:?}", stale.err());

    for missing in [
        storage.head("lessons/1/none").await.err(),
        storage.get("lessons/1/none").await.err(),
        storage.stream("lessons/1/none", None, None).await.err(),
    ] {
        assert!(matches!(missing, Some(StorageError::NotFound)), "{missing:?}");
    }
    for bad in ["../escape", "/etc/passwd", "a//b", "a b"] {
        assert!(matches!(storage.put(bad, Bytes::new()).await, Err(StorageError::Key(_))), "{bad}");
        assert!(matches!(storage.head(bad).await, Err(StorageError::Key(_))), "{bad}");
    }

    storage.delete("lessons/1/notes.txt").await.unwrap();
    assert!(matches!(storage.head("lessons/1/notes.txt").await, Err(StorageError::NotFound)));
    storage.delete("lessons/1/notes.txt").await.expect("deleting what is gone is fine");

    // Folders: listed in key order, deleted whole, neighbours untouched; a folder never written is empty.
    for key in ["c/1/images/b.png", "c/1/images/a.png", "c/1/imagesx/keep.png", "c/2/images/keep.png"] {
        storage.put(key, sample(10)).await.unwrap();
    }
    assert_eq!(storage.list("c/1/images").await.unwrap(), ["c/1/images/a.png", "c/1/images/b.png"]);
    assert_eq!(storage.list("c/9/images").await.unwrap(), Vec::<String>::new());
    assert_eq!(storage.delete_prefix("c/1/images").await.unwrap(), 2);
    assert!(storage.list("c/1/images").await.unwrap().is_empty());
    assert_eq!(storage.list("c").await.unwrap(), ["c/1/imagesx/keep.png", "c/2/images/keep.png"]);
    storage.delete_prefix("c").await.unwrap();
}

/// Large uploads are written from a stream, in parts; a failing stream leaves nothing behind.
async fn streamed_upload_contract(storage: &Storage) {
    // Above the 8 MiB part size, so S3 gets a real multipart upload.
    let parts: Vec<Bytes> = (0..5).map(|i| Bytes::from(vec![i as u8; 2 * 1024 * 1024 + 7])).collect();
    let whole: Bytes = parts.concat().into();
    let source = stream::iter(parts.into_iter().map(Ok::<_, StorageError>));
    let written = storage.put_stream("videos/big.mp4", "video/mp4", source).await.unwrap();
    assert_eq!(written, whole.len() as u64);
    assert_eq!(storage.head("videos/big.mp4").await.unwrap().size, whole.len() as u64);
    assert_eq!(storage.get("videos/big.mp4").await.unwrap(), whole);

    let failing = stream::iter([Ok(Bytes::from_static(b"partial")), Err(StorageError::NotFound)]).boxed();
    let result = storage.put_stream("videos/broken.mp4", "video/mp4", failing).await;
    // The source's own error comes back (here NotFound), and no object is left.
    assert!(matches!(result, Err(StorageError::NotFound)), "{result:?}");
    assert!(matches!(storage.head("videos/broken.mp4").await, Err(StorageError::NotFound)));
    storage.delete("videos/big.mp4").await.unwrap();
}

#[tokio::test]
async fn local_directory_meets_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::local(dir.path()).unwrap();
    contract(&storage).await;
    streamed_upload_contract(&storage).await;
}

#[tokio::test]
async fn s3_meets_the_contract() {
    let Some(s3) = s3::bucket("contract").await else { return };
    contract(&s3.storage).await;
    streamed_upload_contract(&s3.storage).await;
}

#[tokio::test]
async fn s3_keeps_the_content_type_and_the_local_directory_does_not() {
    let put = |storage: Storage| async move {
        storage.put_typed("docs/a.pdf", Bytes::from_static(b"%PDF-1.7\n"), "application/pdf").await.unwrap();
        storage.stream("docs/a.pdf", None, None).await.unwrap().content_type
    };
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(put(Storage::local(dir.path()).unwrap()).await, None);
    let Some(s3) = s3::bucket("ctype").await else { return };
    assert_eq!(put(s3.storage.clone()).await.as_deref(), Some("application/pdf"));
}

#[tokio::test]
async fn s3_settings_select_the_s3_adapter() {
    let Some(s3) = s3::bucket("settings").await else { return };
    let mut settings = lyceum_platform::config::Settings::default();
    settings.storage.backend = lyceum_platform::config::StorageBackend::S3;
    settings.storage.s3 = s3.settings.clone();
    let storage = Storage::from_settings(&settings).unwrap();
    storage.put("probe.txt", Bytes::from_static(b"hi")).await.unwrap();
    assert_eq!(s3.storage.get("probe.txt").await.unwrap(), Bytes::from_static(b"hi"), "same bucket");
}

//! The file storage port over `object_store`: a local directory under the data
//! dir by default, or an S3-compatible bucket (`[storage] backend = "s3"`).
//!
//! Keys are made by our code (e.g. `avatars/<user id>/<uuid>.png`) and checked
//! in one place, [`Storage::path`], before any adapter sees them.

use std::{ops::Range, sync::Arc};

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt, stream::BoxStream};
use object_store::{
    Attribute, Attributes, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutOptions, PutPayload, WriteMultipart,
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path,
};

use crate::config::{S3Settings, Settings, StorageBackend};

mod transport;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The local directory keeps no per-object metadata, so no content type.
    keeps_content_type: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key {0:?}")]
    Key(String),
    #[error("not found")]
    NotFound,
    /// The object changed between two requests that had to see the same version.
    #[error("the object changed while it was read")]
    Changed,
    #[error(transparent)]
    Store(#[from] object_store::Error),
    #[error("cannot use {0} for files: {1}")]
    Setup(String, std::io::Error),
    /// The stream given to [`Storage::put_stream`] failed (e.g. the client broke off).
    #[error("the data to store could not be read: {0}")]
    Source(String),
    /// The stream given to [`Storage::put_stream`] went past the caller's limit (bytes).
    #[error("the data to store is larger than {0} bytes")]
    TooLarge(usize),
}

/// What `head` tells about an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    pub size: u64,
    /// The store's entity tag as it gives it (S3 quotes it; the local directory
    /// derives it from inode, mtime and size). Changes whenever the content does.
    pub etag: Option<String>,
    pub last_modified: jiff::Timestamp,
}

/// An object's bytes (all or a range) as a stream, with what was read.
pub struct ObjectStream {
    pub info: ObjectInfo,
    pub range: Range<u64>,
    /// The type given to [`Storage::put_typed`], where the backend keeps it (S3).
    pub content_type: Option<String>,
    pub body: BoxStream<'static, Result<Bytes, StorageError>>,
}

/// Longest accepted key, well under S3's 1024-byte limit.
const MAX_KEY_LEN: usize = 512;
/// Chunk size of streamed uploads (S3's minimum part size is 5 MiB).
const UPLOAD_PART: usize = 8 * 1024 * 1024;

impl Storage {
    /// The store `[storage]` selects: the local directory `<data dir>/files` or S3.
    pub fn from_settings(settings: &Settings) -> Result<Self, StorageError> {
        match settings.storage.backend {
            StorageBackend::Local => Self::local(&settings.files_dir()),
            StorageBackend::S3 => Self::s3(&settings.storage.s3),
        }
    }

    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Setup(dir.display().to_string(), e))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StorageError::Setup(dir.display().to_string(), std::io::Error::other(e)))?;
        Ok(Self { store: Arc::new(fs), keeps_content_type: false })
    }

    /// An S3 bucket. Settings left empty fall back to the standard `AWS_*`
    /// variables (and instance credentials), as AWS tooling does.
    pub fn s3(s3: &S3Settings) -> Result<Self, StorageError> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&s3.bucket)
            .with_allow_http(s3.allow_http)
            .with_http_connector(transport::RustlsRing { allow_http: s3.allow_http });
        let region = if s3.region.is_empty() { "us-east-1" } else { &s3.region };
        builder = builder.with_region(region);
        if !s3.endpoint.is_empty() {
            builder = builder.with_endpoint(&s3.endpoint);
        }
        if !s3.access_key_id.is_empty() {
            builder =
                builder.with_access_key_id(&s3.access_key_id).with_secret_access_key(s3.secret_access_key.expose());
        }
        let store = builder.build().map_err(|e| StorageError::Setup(format!("S3 bucket {}", s3.bucket), e.into()))?;
        Ok(Self { store: Arc::new(store), keeps_content_type: true })
    }

    /// The one check of every key: 1–512 characters of `A–Z a–z 0–9 . _ -`
    /// in `/`-separated segments, none empty, `.` or `..` — so no key is
    /// absolute, escapes the store, or means different things to different backends.
    pub fn path(key: &str) -> Result<Path, StorageError> {
        let bad = || StorageError::Key(key.to_string());
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
        if key.is_empty() || key.len() > MAX_KEY_LEN || !key.chars().all(allowed) {
            return Err(bad());
        }
        if key.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return Err(bad());
        }
        Path::parse(key).map_err(|_| bad())
    }

    pub async fn put(&self, key: &str, data: Bytes) -> Result<(), StorageError> {
        self.store.put(&Self::path(key)?, PutPayload::from_bytes(data)).await?;
        Ok(())
    }

    /// Stores `data` with its media type as object metadata where the backend
    /// keeps one (S3, so the bucket serves it right if exposed directly). The
    /// local directory does not: callers keep the type in their own record.
    pub async fn put_typed(&self, key: &str, data: Bytes, content_type: &str) -> Result<(), StorageError> {
        let options = self.put_options(content_type);
        self.store.put_opts(&Self::path(key)?, PutPayload::from_bytes(data), options).await?;
        Ok(())
    }

    /// Stores a stream (a large upload) without holding it in memory: written
    /// in parts; an error aborts the upload so no partial object is left.
    pub async fn put_stream<S, E>(&self, key: &str, content_type: &str, mut data: S) -> Result<u64, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<StorageError>,
    {
        let path = Self::path(key)?;
        let upload = self.store.put_multipart_opts(&path, self.put_options(content_type).attributes.into()).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, UPLOAD_PART);
        let mut written = 0u64;
        while let Some(chunk) = data.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    writer.abort().await?;
                    return Err(e.into());
                }
            };
            written += chunk.len() as u64;
            writer.wait_for_capacity(2).await?;
            writer.put(chunk);
        }
        writer.finish().await?;
        Ok(written)
    }

    fn put_options(&self, content_type: &str) -> PutOptions {
        let mut attributes = Attributes::new();
        if self.keeps_content_type {
            attributes.insert(Attribute::ContentType, content_type.to_string().into());
        }
        PutOptions { attributes, ..PutOptions::default() }
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        let result = self.store.get(&Self::path(key)?).await.map_err(store_error)?;
        Ok(result.bytes().await?)
    }

    /// Bytes `range.start..range.end` (end exclusive, clamped to the object's size).
    pub async fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes, StorageError> {
        self.store.get_range(&Self::path(key)?, range).await.map_err(store_error)
    }

    pub async fn head(&self, key: &str) -> Result<ObjectInfo, StorageError> {
        let meta = self.store.head(&Self::path(key)?).await.map_err(store_error)?;
        Ok(info(&meta))
    }

    /// The object (or `range` of it) as a stream. With `etag`, the read fails
    /// with [`StorageError::Changed`] unless the object still has that tag, so
    /// a range computed from an earlier `head` is never applied to new content.
    pub async fn stream(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        etag: Option<&str>,
    ) -> Result<ObjectStream, StorageError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            if_match: etag.map(str::to_string),
            ..GetOptions::default()
        };
        let result = self.store.get_opts(&Self::path(key)?, options).await.map_err(store_error)?;
        let info = info(&result.meta);
        let range = result.range.clone();
        let content_type = result.attributes.get(&Attribute::ContentType).map(|v| v.to_string());
        let body = result.into_stream().map_err(StorageError::from).boxed();
        Ok(ObjectStream { info, range, content_type, body })
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Self::path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes objects whose rows are gone (or were never written). A
    /// failure is only logged: a leftover object is harmless, nothing names it.
    pub async fn forget(&self, keys: &[String]) {
        for key in keys {
            if let Err(e) = self.delete(key).await {
                tracing::warn!(%key, error = %e, "stored object not removed");
            }
        }
    }

    /// The keys under the folder `prefix` (e.g. `courses/<id>/lessons/<id>/images`), in key order.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let mut listed = self.store.list(Some(&Self::path(prefix)?));
        let mut keys = Vec::new();
        while let Some(meta) = listed.next().await {
            match meta {
                Ok(meta) => keys.push(meta.location.to_string()),
                // A folder that was never written is empty, not an error.
                Err(object_store::Error::NotFound { .. }) => break,
                Err(e) => return Err(e.into()),
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// Deletes every object under the folder `prefix`; returns how many.
    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, StorageError> {
        let keys = self.list(prefix).await?;
        for key in &keys {
            self.delete(key).await?;
        }
        Ok(keys.len())
    }
}

/// object_store's errors as ours: a missing object is `NotFound`, a failed `if_match` is `Changed`.
fn store_error(err: object_store::Error) -> StorageError {
    match err {
        object_store::Error::NotFound { .. } => StorageError::NotFound,
        object_store::Error::Precondition { .. } => StorageError::Changed,
        other => StorageError::Store(other),
    }
}

fn info(meta: &object_store::ObjectMeta) -> ObjectInfo {
    let millis = meta.last_modified.timestamp_millis();
    let last_modified = jiff::Timestamp::from_millisecond(millis).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ObjectInfo { size: meta.size, etag: meta.e_tag.clone(), last_modified }
}

impl From<StorageError> for crate::AppError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound => crate::AppError::not_found(),
            other => crate::AppError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trips_and_rejects_traversal() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path()).unwrap();
        storage.put("a/b.txt", Bytes::from_static(b"hi")).await.unwrap();
        assert_eq!(storage.get("a/b.txt").await.unwrap(), Bytes::from_static(b"hi"));
        assert!(matches!(storage.get("a/missing").await, Err(StorageError::NotFound)));
        assert!(matches!(storage.put("../x", Bytes::new()).await, Err(StorageError::Key(_))));
        storage.delete("a/b.txt").await.unwrap();
        assert!(matches!(storage.get("a/b.txt").await, Err(StorageError::NotFound)));
    }

    #[test]
    fn keys_are_checked_in_one_place() {
        for good in ["a", "avatars/01H/9f.png", "course-1/lesson_2/v.1.mp4"] {
            assert!(Storage::path(good).is_ok(), "{good}");
        }
        let long = "a".repeat(MAX_KEY_LEN + 1);
        for bad in ["", "/abs", "a/../b", "..", "a//b", "a/./b", "a/", "a\\b", "a b", "é", "a%2e", "a?b", &long] {
            assert!(matches!(Storage::path(bad), Err(StorageError::Key(_))), "{bad:?}");
        }
    }
}

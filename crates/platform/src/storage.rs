//! The file storage port over `object_store`: a local directory under the data
//! dir by default; S3-compatible stores are another `ObjectStore` of the same port.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, path::Path};

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key {0:?}")]
    Key(String),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] object_store::Error),
    #[error("cannot use {0} for files: {1}")]
    Setup(String, std::io::Error),
}

impl Storage {
    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Setup(dir.display().to_string(), e))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StorageError::Setup(dir.display().to_string(), std::io::Error::other(e)))?;
        Ok(Self { store: Arc::new(fs) })
    }

    /// Keys are made by our code (e.g. `avatars/<user id>/<uuid>.png`); parsing
    /// rejects `..` and empty segments, so no key escapes the store.
    fn path(key: &str) -> Result<Path, StorageError> {
        let path = Path::parse(key).map_err(|_| StorageError::Key(key.to_string()))?;
        if key.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return Err(StorageError::Key(key.to_string()));
        }
        Ok(path)
    }

    pub async fn put(&self, key: &str, data: Bytes) -> Result<(), StorageError> {
        self.store.put(&Self::path(key)?, PutPayload::from_bytes(data)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match self.store.get(&Self::path(key)?).await {
            Ok(result) => Ok(result.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Self::path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
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
}

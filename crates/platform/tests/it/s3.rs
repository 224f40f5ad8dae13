//! A fresh bucket on the S3-compatible test server named by `LYCEUM_TEST_S3_URL`
//! (`moto_server`, started by `.ci/run`). Shared by the storage and media tests.
#![allow(dead_code)] // each test binary uses its own part

use lyceum_platform::{
    config::{S3Settings, Secret},
    storage::Storage,
};

pub struct TestBucket {
    pub storage: Storage,
    pub settings: S3Settings,
}

/// A bucket of its own for one test, or `None` (after saying why) when no server is configured.
pub async fn bucket(label: &str) -> Option<TestBucket> {
    let Ok(endpoint) = std::env::var("LYCEUM_TEST_S3_URL") else {
        lyceum_platform::testing::skip(&format!("S3 test ({label}): LYCEUM_TEST_S3_URL is not set"));
        return None;
    };
    let endpoint = endpoint.trim_end_matches('/').to_string();
    let bucket = format!("lyceum-{label}-{}", uuid::Uuid::now_v7().simple());
    let created = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await;
    match created {
        Ok(r) if r.status().is_success() => {}
        other => panic!("cannot create bucket {bucket} at {endpoint} (LYCEUM_TEST_S3_URL): {other:?}"),
    }
    let settings = S3Settings {
        bucket,
        region: "us-east-1".into(),
        endpoint,
        access_key_id: "test".into(),
        secret_access_key: Secret::new("test"),
        allow_http: true,
    };
    let storage = Storage::s3(&settings).expect("S3 storage");
    Some(TestBucket { storage, settings })
}

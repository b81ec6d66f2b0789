//! What every integration test needs: a client for the shared DynamoDB Local
//! with table names no other test uses.

use dynamo_model::local::DynamoDbLocal;
use dynamo_model::Client;
use std::sync::atomic::{AtomicU32, Ordering};

/// The shared DynamoDB Local's endpoint, starting it if needed.
pub async fn local_endpoint() -> String {
    shared().await.endpoint().to_owned()
}

async fn shared() -> &'static DynamoDbLocal {
    match DynamoDbLocal::shared().await {
        Ok(local) => local,
        Err(error) => panic!("{error}"),
    }
}

/// A table prefix no other test (in this or another test process) uses.
pub fn unique_prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "t{}_{}_",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A client for the shared DynamoDB Local whose tables are this test's own.
pub async fn client() -> Client {
    shared().await.client().with_table_prefix(unique_prefix())
}

//! The DynamoDB Local launcher.

use crate::common::{client, local_endpoint};
use dynamo_model::local::DynamoDbLocal;

#[tokio::test]
async fn shared_instance_is_started_once_and_answers() {
    let first = local_endpoint().await;
    let second = local_endpoint().await;
    assert_eq!(first, second);
    // A real request through the SDK succeeds.
    client().await.sdk().list_tables().send().await.unwrap();
}

#[tokio::test]
async fn an_owned_instance_stops_when_dropped() {
    if std::env::var_os("DYNAMODB_ENDPOINT").is_some() {
        return; // nothing is started when an endpoint is given
    }
    let local = DynamoDbLocal::start().await.unwrap();
    let endpoint = local.endpoint().to_owned();
    assert_ne!(
        endpoint,
        local_endpoint().await,
        "a second, separate instance"
    );
    local.client().sdk().list_tables().send().await.unwrap();
    drop(local);
    let address = endpoint.trim_start_matches("http://").to_owned();
    // The watchdog has killed Java when drop returns; give the kernel a
    // moment to close the socket.
    let mut refused = false;
    for _ in 0..50 {
        if std::net::TcpStream::connect(&address).is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        refused,
        "DynamoDB Local at {address} still accepts connections after drop"
    );
}

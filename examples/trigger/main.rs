//! A DynamoDB table trigger on AWS Lambda: each change of an order (see
//! `handler.rs`) becomes a line of its history, and a failing record is
//! reported as a partial batch failure, so Lambda retries from it and no
//! later record is acknowledged. The event source mapping needs
//! `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
//!
//! Build it with `cargo build --example trigger --features lambda` (for
//! Lambda: `cargo lambda build --example trigger --features lambda`). Its
//! handler is tested on DynamoDB Local's real stream by
//! `tests/integration/trigger.rs`.

mod handler;

use dynamo_model::stream::lambda::aws_lambda_events::event::dynamodb::Event;
use dynamo_model::stream::lambda::Processor;
use dynamo_model::Client;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let db = Client::from_env().await;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| {
        let db = db.clone();
        async move {
            let outcome = Processor::<handler::Order>::new()
                .run(event.payload, |record| handler::on_change(&db, record))
                .await;
            Ok::<_, lambda_runtime::Error>(outcome.response())
        }
    }))
    .await
}

//! A deploy step that brings a table along with its model: the table was
//! created by last release's `Order` (keys only); this release's model adds
//! a global index, a stream and a TTL, and turns on deletion protection. The
//! example prints the plan, refuses to go on if it holds destructive
//! changes (pass `--allow-destructive` to make them), applies it and checks
//! that no drift is left.
//!
//! Run it with `cargo run --example migrate`, against a DynamoDB Local the
//! example starts itself (or `DYNAMODB_ENDPOINT`).

use dynamo_model::local::DynamoDbLocal;
use dynamo_model::Model;
use std::time::SystemTime;

/// Last release's model, as the table was created.
mod last_release {
    #[derive(dynamo_model::Model)]
    #[model(table = "orders")]
    pub struct Order {
        #[model(hash_key)]
        pub id: String,
        pub customer: String,
    }
}

/// This release's model of the same table.
#[derive(Model)]
#[model(table = "orders", stream = "new_and_old_images", deletion_protection)]
struct Order {
    #[model(hash_key)]
    id: String,
    #[model(global_index(name = "by_customer", hash_key))]
    customer: String,
    #[model(ttl)]
    purge_at: Option<SystemTime>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let allow_destructive = std::env::args().any(|a| a == "--allow-destructive");
    let local = DynamoDbLocal::shared().await?;
    // Its own table names, so that each run starts from last release's table.
    let db = local
        .client()
        .with_table_prefix(format!("migrate_{}_", std::process::id()));
    last_release::Order::create_table(&db).await?;

    let plan = Order::plan(&db).await?;
    print!("{plan}");
    let destructive: Vec<String> = plan.destructive().map(|c| c.to_string()).collect();
    if !destructive.is_empty() && !allow_destructive {
        eprintln!("refusing destructive changes without --allow-destructive: {destructive:?}");
        std::process::exit(1);
    }
    let apply = plan.apply(&db);
    let applied = if allow_destructive {
        apply.allow_destructive().await?
    } else {
        apply.await?
    };
    print!("applied:\n{applied}");

    let drift = Order::plan(&db).await?;
    assert!(drift.is_empty(), "drift left after apply:\n{drift}");
    println!("no drift: {}", drift.to_string().trim());
    Ok(())
}

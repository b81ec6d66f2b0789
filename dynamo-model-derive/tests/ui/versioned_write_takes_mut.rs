use dynamo_model::{Client, Model};

#[derive(Model, Clone)]
struct Account {
    #[model(hash_key)]
    id: String,
    #[model(version)]
    version: u64,
}

#[derive(Model)]
struct Plain {
    #[model(hash_key)]
    id: String,
}

async fn writes(db: &Client, mut account: Account, plain: Plain) {
    // A versioned model is written from `&mut`, so the write can set its version.
    let _ = Account::create(db, &account).await;
    let _ = Account::save(db, &account).await;
    let _ = Account::save(db, &mut account).await;
    // A batch cannot check the version.
    let _ = Account::batch_put(db, [&account]).await;
    let _ = db.batch_write().put(&account).await;
    // Without a version, `&` is enough.
    let _ = Plain::save(db, &plain).await;
}

fn main() {}

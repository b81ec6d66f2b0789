use dynamo_model::{Client, Model};

// A misuse gives exactly one error, at the derive's attribute: the stub
// impl the derive emits keeps every use of the model below quiet.
#[derive(Model)]
struct User {
    #[model(hash_key, requird)]
    id: String,
    name: String,
}

async fn uses(db: &Client, user: &User) -> dynamo_model::Result<()> {
    User::create_table(db).await?;
    User::create(db, user).await?;
    let _: Option<User> = User::get(db, "u1").await?;
    User::save(db, user).await?;
    User::delete(db, "u1").await?;
    let _ = User::batch_get(db, ["u1", "u2"]).await?;
    user.validate()?;
    Ok(())
}

fn main() {
    let _ = uses;
}

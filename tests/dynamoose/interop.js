// The Node side of the table-sharing test (tests/integration/dynamoose.rs):
// Dynamoose v4 with the schema equivalent to the Rust `Shared` model.
//
//   node interop.js <endpoint> <table> write <id>   creates an item
//   node interop.js <endpoint> <table> read <id>    gets an item, prints JSON
//
// DynamoDB Local keeps tables per access key ID, so this uses the one
// `Client::local` uses.
//
// A `get` that finds an attribute of the wrong type throws Dynamoose's
// TypeMismatch, which fails the process and so the Rust test.
const dynamoose = require("dynamoose");

const [endpoint, table, mode, id] = process.argv.slice(2);
dynamoose.aws.ddb.set(
  new dynamoose.aws.ddb.DynamoDB({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "dynamomodel", secretAccessKey: "local" },
  }),
);

const schema = new dynamoose.Schema(
  {
    id: { type: String, hashKey: true },
    name: String,
    logins: Number,
    active: Boolean,
    avatar: Buffer,
    tags: { type: Set, schema: [String] },
    scores: { type: Set, schema: [Number] },
    address: { type: Object, schema: { city: String, zip: String } },
    history: { type: Array, schema: [Number] },
    plan: { type: String, enum: ["free", "pro"] },
    birthday: Date,
    lastSeen: { type: { value: Date, settings: { storage: "iso" } } },
    nickname: String,
  },
  { timestamps: true },
);
const Shared = dynamoose.model(table, schema, { create: false, waitForActive: false });

async function main() {
  if (mode === "write") {
    await Shared.create({
      id,
      name: "Node",
      logins: 7,
      active: true,
      avatar: Buffer.from([1, 2, 3]),
      tags: new Set(["a", "b"]),
      scores: new Set([1, 20]),
      address: { city: "Oslo", zip: "0150" },
      history: [3, 4],
      plan: "pro",
      birthday: new Date(Date.UTC(1990, 4, 17)),
      lastSeen: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 123)),
    });
  } else if (mode === "read") {
    const item = await Shared.get(id);
    process.stdout.write(
      JSON.stringify({
        ...item.toJSON(),
        avatar: [...Buffer.from(item.avatar)],
        tags: [...item.tags].sort(),
        scores: [...item.scores].sort(),
        birthday: item.birthday.toISOString(),
        lastSeen: item.lastSeen.toISOString(),
        createdAt: item.createdAt.getTime(),
        updatedAt: item.updatedAt.getTime(),
      }),
    );
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

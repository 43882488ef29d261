// Generates src/generated/proto.json (a protobufjs descriptor) from the server's own ../proto/*.proto,
// so the web client speaks exactly the messages the gateway does. Field names keep the .proto spelling.
import { readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const here = dirname(fileURLToPath(import.meta.url));
const protoDir = join(here, "..", "..", "proto");
const files = readdirSync(protoDir).filter((f) => f.endsWith(".proto")).sort().map((f) => join(protoDir, f));
const root = new protobuf.Root();
root.loadSync(files, { keepCase: true });
root.resolveAll();
const outDir = join(here, "..", "src", "generated");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "proto.json"), JSON.stringify(root.toJSON({ keepComments: false })));
console.log(`proto: ${files.length} files -> src/generated/proto.json`);

/** `npm run graph`: app/'s folder-to-folder imports, mutual pairs and file cycles. */
import { importGraph } from "./import-graph";

const graph = await importGraph();
const edges = [...graph.folderEdges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
console.log(`app/ import graph: ${graph.modules.length} modules, ${edges.length} folder-to-folder arrows`);
let from = "";
for (const edge of edges) {
  if (edge.from !== from) {
    from = edge.from;
    console.log(`\n${from}`);
  }
  console.log(`  → ${edge.to} (${edge.imports.length})`);
}
console.log(`\nfolder pairs importing each other: ${graph.mutualPairs.length}`);
for (const pair of graph.mutualPairs) console.log(`  ${pair.a} ⇄ ${pair.b}\n    ${pair.imports.join("\n    ")}`);
console.log(`file cycles: ${graph.cycles.length}`);
for (const cycle of graph.cycles) console.log(`  ${cycle.join(" → ")}`);

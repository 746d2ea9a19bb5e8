// Peer runner: shared/bench/policy.md on json-rules-engine (rules in json-rules-engine.rules.json).
//
// Idiomatic use of the library: the parsed case is passed to engine.run() as runtime facts;
// the indicator profile (how many of the case's indicators are safeguarding-flagged or at
// level 4, 3, 2, looked up in the catalogue) is provided by dynamic facts that read the
// `indicators` fact through the almanac (computed lazily, cached per run). The seven rules
// carry priorities 7..1; the engine evaluates higher priorities first and each priority set
// holds one rule, and a success handler calls engine.stop() so that the first rule that
// matches wins and lower-priority rules are skipped (first-match, as policy.md says).
// Because engine.stop() changes engine-wide state, cases are routed one at a time.
'use strict';
const fs = require('fs');
const path = require('path');
const { Engine } = require('json-rules-engine');
const { parseArgs, runPeer } = require('./common');

const args = parseArgs('json-rules-engine.js');
const catalogue = JSON.parse(fs.readFileSync(args.catalogue, 'utf8'));
const rules = JSON.parse(fs.readFileSync(path.join(__dirname, 'json-rules-engine.rules.json'), 'utf8'));

const engine = new Engine(rules);
function countFact(pred) {
	return async (params, almanac) => {
		const ids = await almanac.factValue('indicators');
		let n = 0;
		for (const id of ids) {
			const ind = catalogue[id];
			if (ind === undefined)
				throw new Error(`unknown indicator ${id}`);
			if (pred(ind))
				n++;
		}
		return n;
	};
}
engine.addFact('safeguardingCount', countFact((i) => i.safeguarding));
engine.addFact('level4Count', countFact((i) => i.level === 4));
engine.addFact('level3Count', countFact((i) => i.level === 3));
engine.addFact('level2Count', countFact((i) => i.level === 2));
engine.on('success', () => { engine.stop(); });

runPeer('json-rules-engine', args, async (c) => {
	const { events } = await engine.run(c);
	if (events.length !== 1)
		throw new Error(`case ${c.case_id}: ${events.length} rules fired`);
	return events[0].params;
}).catch((e) => { process.stderr.write(`json-rules-engine: ${e.stack}\n`); process.exit(1); });

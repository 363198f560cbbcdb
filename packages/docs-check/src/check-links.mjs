// Every relative link and anchor in the repository's Markdown must resolve: a file that exists, a
// heading that exists (GitHub's slugs), in the same file or another. remark-validate-links does
// the checking; unified-engine runs it over the whole set, so links between files are checked both
// ways. Nothing is fetched: links with a scheme (https://, mailto:) are not followed.
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { remark } from "remark";
import remarkValidateLinks from "remark-validate-links";
import { engine } from "unified-engine";

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Build output, installed packages and test output are not ours to check; every other Markdown file is. */
const IGNORED = ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/.turbo/**", "**/test-results/**", "**/playwright-report/**", ".tools/**"];

/**
 * @typedef {{ file: string, line: number | undefined, column: number | undefined, reason: string }} LinkProblem
 * @param {string} root the folder whose Markdown files are checked (links may point anywhere below it)
 * @returns {Promise<{ files: string[], problems: LinkProblem[] }>} every Markdown file read, relative to root, and every link that does not resolve
 */
export function checkLinks(root = REPOSITORY_ROOT) {
  return new Promise((resolve, reject) => {
    engine(
      {
        processor: remark,
        cwd: root,
        files: ["."],
        extensions: ["md"],
        ignorePatterns: IGNORED,
        detectConfig: false,
        detectIgnore: false,
        plugins: [[remarkValidateLinks, { repository: false, root }]],
        output: false,
        out: false,
        quiet: true,
        color: false,
        // The problems are returned to the caller, who says them in its own words.
        streamError: new Writable({ write: (_chunk, _encoding, done) => done() }),
      },
      (error, _code, context) => {
        if (error) return reject(error);
        // A file's path is relative to its own cwd: named relative to root here.
        const name = (/** @type {import("vfile").VFile} */ file) => path.relative(root, path.resolve(file.cwd, file.path));
        const files = (context?.files ?? []).map(name).sort();
        const problems = (context?.files ?? []).flatMap((file) =>
          file.messages.map((message) => ({
            file: name(file),
            line: message.line ?? undefined,
            column: message.column ?? undefined,
            reason: message.reason,
          })),
        );
        resolve({ files, problems });
      },
    );
  });
}

/** @param {LinkProblem} problem */
export const describeProblem = (problem) => `${problem.file}:${problem.line ?? "?"}:${problem.column ?? "?"} ${problem.reason}`;

// `pnpm docs:links`: the same check from the command line; exit code 1 on any broken link.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, problems } = await checkLinks(process.argv[2] ? path.resolve(process.argv[2]) : REPOSITORY_ROOT);
  for (const problem of problems) console.log(describeProblem(problem));
  console.log(`${files.length} Markdown files, ${problems.length} broken links`);
  process.exit(problems.length > 0 ? 1 : 0);
}

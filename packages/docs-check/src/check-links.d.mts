export interface LinkProblem {
  file: string;
  line: number | undefined;
  column: number | undefined;
  reason: string;
}
export const REPOSITORY_ROOT: string;
export function checkLinks(root?: string): Promise<{ files: string[]; problems: LinkProblem[] }>;
export function describeProblem(problem: LinkProblem): string;

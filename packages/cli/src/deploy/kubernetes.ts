// Kubernetes manifests: placeholder until step 3.
import type { Unit } from "./manifest.js";
export function readKubernetes(_file: string, _text: string): { containers: Unit[]; errors: { line: number | null; message: string }[] } {
  return { containers: [], errors: [] };
}

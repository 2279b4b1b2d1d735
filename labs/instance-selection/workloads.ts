// The public checks' workloads: a platform team's real asks, each chosen so one rule of the
// steps decides it. (The answers are not here: the checks work them out from the world.)

import type { Workload } from './reference.ts';

const base = { minGpuMemoryGiB: 0, gpus: 0, neuronOk: false, interruptible: false, committedYear: false };

export const WORKLOADS = {
  featureNotebook: { ...base, name: 'feature-notebook', task: 'exploration', minVcpus: 2, minMemoryGiB: 8, hoursPerMonth: 160 },
  etlBatch: { ...base, name: 'etl-batch', task: 'preprocessing', minVcpus: 16, minMemoryGiB: 64, hoursPerMonth: 300 },
  whisperTranscribe: { ...base, name: 'whisper-transcribe', task: 'batch-inference', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 16, hoursPerMonth: 120 },
  bertFinetune: { ...base, name: 'bert-finetune', task: 'training', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 24, hoursPerMonth: 200 },
  ddpResnet: { ...base, name: 'ddp-resnet', task: 'training', minVcpus: 32, minMemoryGiB: 128, gpus: 4, minGpuMemoryGiB: 16, hoursPerMonth: 90 },
  legacyCuda: { ...base, name: 'legacy-cuda', task: 'training', minVcpus: 4, minMemoryGiB: 48, gpus: 1, minGpuMemoryGiB: 8, hoursPerMonth: 100 },
  llmServingNeuron: { ...base, name: 'llm-serving-neuron', task: 'realtime-inference', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 24, neuronOk: true, hoursPerMonth: 730 },
  llmServingCuda: { ...base, name: 'llm-serving-cuda', task: 'realtime-inference', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 24, hoursPerMonth: 730 },
  giantCluster: { ...base, name: 'giant-cluster', task: 'training', minVcpus: 96, minMemoryGiB: 1024, gpus: 16, minGpuMemoryGiB: 40, hoursPerMonth: 300 },
  nightlyEmbeddings: { ...base, name: 'nightly-embeddings', task: 'batch-inference', minVcpus: 4, minMemoryGiB: 8, gpus: 1, minGpuMemoryGiB: 8, neuronOk: true, hoursPerMonth: 97 },
  inMemoryGraph: { ...base, name: 'in-memory-graph', task: 'preprocessing', minVcpus: 64, minMemoryGiB: 8192, hoursPerMonth: 40 },
  tabularScoring: { ...base, name: 'tabular-scoring', task: 'batch-inference', minVcpus: 36, minMemoryGiB: 64, hoursPerMonth: 133 },
  fraudScoring: { ...base, name: 'fraud-scoring', task: 'realtime-inference', minVcpus: 16, minMemoryGiB: 32, hoursPerMonth: 730, committedYear: true },
  weeklyRetrain: { ...base, name: 'weekly-retrain', task: 'training', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 24, hoursPerMonth: 250, committedYear: true },
  featureStoreSync: { ...base, name: 'feature-store-sync', task: 'preprocessing', minVcpus: 8, minMemoryGiB: 64, hoursPerMonth: 730 },
  bertFinetuneSpot: { ...base, name: 'bert-finetune-spot', task: 'training', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 24, hoursPerMonth: 200, interruptible: true },
  hyperparameterSweep: { ...base, name: 'hyperparameter-sweep', task: 'training', minVcpus: 8, minMemoryGiB: 32, gpus: 1, minGpuMemoryGiB: 16, hoursPerMonth: 411, interruptible: true },
  genomeAssembly: { ...base, name: 'genome-assembly', task: 'preprocessing', minVcpus: 200, minMemoryGiB: 5000, hoursPerMonth: 60, interruptible: true },
  steadyInference: { ...base, name: 'steady-inference', task: 'realtime-inference', minVcpus: 4, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 16, hoursPerMonth: 730, interruptible: true, committedYear: true },
} satisfies Record<string, Workload>;

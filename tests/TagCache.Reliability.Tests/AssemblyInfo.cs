using Microsoft.VisualStudio.TestTools.UnitTesting;

// Stress and memory tests: each wants the machine to itself (the memory figures read the whole process heap, and the
// stress runs size their thread counts to the cores), so this assembly runs its tests one at a time.
[assembly: DoNotParallelize]

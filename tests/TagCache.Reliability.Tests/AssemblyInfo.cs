using Microsoft.VisualStudio.TestTools.UnitTesting;

// Classes run side by side, except those that want the machine to themselves ([DoNotParallelize]): the stress runs size
// their thread counts to the cores, and the memory tests read the whole process heap. MSTest runs those after the others,
// one at a time.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]

package io.aetherflow.runtime.run;

/** Where {@link StepContextImpl#registerProcess} sends the children steps report (the state store). */
@FunctionalInterface
interface ProcessRegistry {

    /**
     * @param jobId job id
     * @param stepId the step owning the state row
     * @param process the child
     * @param processGroup its process group, or &lt;= 0 when it has none of its own
     */
    void register(String jobId, String stepId, ProcessHandle process, long processGroup);
}

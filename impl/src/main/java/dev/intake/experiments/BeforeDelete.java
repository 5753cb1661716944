package dev.intake.experiments;

/**
 * What another feature must do before an experiment is deleted (the session list retires its sessions). If it
 * fails, the experiment is left whole.
 */
@FunctionalInterface
public interface BeforeDelete {
    void experimentDeleting(String workspace, String experimentName);
}

package dev.longshore.core.queue.wire;

/**
 * The identity a call is signed with, as the AWS SDK's credential providers resolve it (environment, profile,
 * instance role, container role).
 *
 * @param sessionToken null for long-term keys
 */
public record SigningCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
        return "SigningCredentials[" + accessKeyId + ", secret hidden]";
    }
}

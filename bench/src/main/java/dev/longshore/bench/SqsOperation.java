package dev.longshore.bench;

/**
 * The groups of SQS requests the request figures count: what a consumer spends requests on per message.
 * Batch and single forms share a group, so a consumer that batches shows fewer requests in the same column.
 */
enum SqsOperation {
    RECEIVE("receive"), DELETE("delete"), VISIBILITY("visibility"), OTHER("other");

    final String column;

    SqsOperation(String column) {
        this.column = column;
    }

    /** The group of an operation name as the protocols spell it: ReceiveMessage, DeleteMessageBatch, ... */
    static SqsOperation of(String operation) {
        return switch (operation) {
            case "ReceiveMessage" -> RECEIVE;
            case "DeleteMessage", "DeleteMessageBatch" -> DELETE;
            case "ChangeMessageVisibility", "ChangeMessageVisibilityBatch" -> VISIBILITY;
            default -> OTHER;
        };
    }
}

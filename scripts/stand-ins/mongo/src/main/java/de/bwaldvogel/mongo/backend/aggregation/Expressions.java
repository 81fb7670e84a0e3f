package de.bwaldvogel.mongo.backend.aggregation;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Opens mongo-java-server's package-private {@code Expression.evaluate} to the update-pipeline stages in
 * {@code compat}. Its public {@code evaluateDocument} evaluates an expression's object result a second time, so a
 * stored string such as {@code "$5"} would be read back as a field path.
 */
public final class Expressions {
    private Expressions() {
    }

    /** The value of an aggregation expression (field path, {@code $$ROOT}, operator, literal) on {@code document}. */
    public static Object evaluate(Object expression, Document document) {
        return Expression.evaluate(expression, document);
    }
}

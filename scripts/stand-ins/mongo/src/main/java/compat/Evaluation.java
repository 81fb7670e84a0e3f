package compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.aggregation.Expressions;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Evaluates an aggregation expression with mongo-java-server's evaluator, closing two gaps an update relies on:
 * the elements of an array literal ({@code ["$a", {x: "$b"}]}) are expressions, and a missing value is null in
 * an array and absent from an object (mongo-java-server returns array literals as written and keeps "missing").
 */
final class Evaluation {
    /** Operators whose arguments bind variables or are not expressions: left to mongo-java-server as written. */
    private static final Set<String> OPAQUE = Set.of("$literal", "$map", "$filter", "$reduce", "$let");

    private Evaluation() {
    }

    static Object evaluate(Object expression, Document doc) {
        return withoutMissing(Expressions.evaluate(resolveArrays(expression, doc), doc));
    }

    /** Replaces each array literal by {@code {$literal: [its evaluated elements]}}. */
    private static Object resolveArrays(Object e, Document doc) {
        if (e instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object x : (List<?>) e) {
                Object v = evaluate(x, doc);
                out.add(v instanceof Missing ? null : v);
            }
            return new Document("$literal", out);
        }
        if (!(e instanceof Document) || ((Document) e).isEmpty()) {
            return e;
        }
        Document d = (Document) e;
        String first = d.keySet().iterator().next();
        if (!first.startsWith("$")) {
            Document out = new Document();
            d.forEach((k, v) -> out.put(k, resolveArrays(v, doc)));
            return out;
        }
        Object args = d.get(first);
        if (d.size() != 1 || OPAQUE.contains(first)) {
            return e;
        }
        if (args instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object a : (List<?>) args) {
                out.add(resolveArrays(a, doc));
            }
            return new Document(first, out);
        }
        boolean operatorArgument = args instanceof Document && !((Document) args).isEmpty()
            && ((Document) args).keySet().iterator().next().startsWith("$");
        if (operatorArgument || (first.equals("$cond") && args instanceof Document)) {
            return new Document(first, resolveArrays(args, doc));
        }
        return e;
    }

    private static Object withoutMissing(Object v) {
        if (v instanceof Document) {
            Document out = new Document();
            for (Map.Entry<String, Object> e : ((Document) v).entrySet()) {
                if (!(e.getValue() instanceof Missing)) {
                    out.put(e.getKey(), withoutMissing(e.getValue()));
                }
            }
            return out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object x : (List<?>) v) {
                out.add(x instanceof Missing ? null : withoutMissing(x));
            }
            return out;
        }
        return v;
    }
}

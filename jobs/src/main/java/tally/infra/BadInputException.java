package tally.infra;

/**
 * Input Tally refuses: a bad file, row, option or rules file. The message names what was wrong
 * and where; the command exits with code 2 and posts nothing.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}

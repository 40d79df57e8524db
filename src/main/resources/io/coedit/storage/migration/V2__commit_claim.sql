-- The commit claim: the instance whose commit to a document lost a race to another instance's commits next. While
-- claim_until (that instance's clock, epoch milliseconds) is ahead, other instances' commits to the document are
-- held and write nothing; the claimant's commit, or any commit after the claim ran out, clears both columns.
-- Without it an instance that lost once kept losing on a document both instances wrote to at hundreds of ops/s.
ALTER TABLE documents ADD COLUMN claim_by VARCHAR(64);
ALTER TABLE documents ADD COLUMN claim_until BIGINT;

// Loads an ontology with the OWL API (3.x, bundled in owlready2's HermiT.jar), mapping IRIs to
// local URLs: java -cp HermiT.jar LoadFromServer.java ONTOLOGY_IRI [IRI URL]...
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.util.SimpleIRIMapper;

public class LoadFromServer {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
    for (int i = 1; i + 1 < args.length; i += 2) {
      manager.addIRIMapper(new SimpleIRIMapper(IRI.create(args[i]), IRI.create(args[i + 1])));
    }
    OWLOntology ontology = manager.loadOntology(IRI.create(args[0]));
    System.out.println("iri " + ontology.getOntologyID().getOntologyIRI());
    System.out.println("axioms " + ontology.getAxiomCount());
    System.out.println("imports " + ontology.getImports().size());
    int closure = 0;
    for (OWLOntology o : ontology.getImportsClosure()) closure += o.getAxiomCount();
    System.out.println("closure_axioms " + closure);
  }
}
